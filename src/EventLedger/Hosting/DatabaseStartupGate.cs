namespace EventLedger.Hosting;

/// <summary>
/// Holds the switch's start until the ledger database answers, so that Marten and Wolverine, which
/// need it to start, never see it missing: a switch started before its database waits (one log
/// line, from <see cref="LedgerAvailability"/>) instead of failing or printing a stack trace a
/// second. Registered ahead of every other hosted service; the HTTP server starts after all of them,
/// so nothing is served (liveness included) until the database has answered once.
/// </summary>
public sealed class DatabaseStartupGate(LedgerAvailability availability, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        while (!await availability.ProbeAsync(cancellationToken))
        {
            await Task.Delay(LedgerAvailability.DownProbePeriod, time, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using EventLedger.Providers;
using Marten;

namespace EventLedger.Redemptions;

/// <summary>
/// The request is appended before the provider call and the outcome after it; a switch that dies
/// in between leaves a redemption awaiting an answer no one will record. Once its provider's timeout
/// and a grace period have passed, recovery records the outcome as unknown, and the switch's own
/// reversal follows by store-and-forward exactly as after a timeout.
/// </summary>
public sealed class InFlightRecovery(
    IDocumentStore store, RedemptionLedger ledger, ProviderDirectory providers, RedemptionOptions options, TimeProvider time,
    ILogger<InFlightRecovery> logger) : BackgroundService
{
    private const int Batch = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Hosting.BackgroundLoop.RunAsync("In-flight recovery", TimeSpan.FromMilliseconds(options.RecoveryIntervalMs),
            RecoverAsync, logger, time, stoppingToken);

    public async Task<int> RecoverAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var longestTimeout = providers.All.Select(p => p.TimeoutMs).DefaultIfEmpty(ProviderOptions.MaxTimeoutMs).Max();
        var cutoff = now - TimeSpan.FromMilliseconds(options.InFlightGraceMs);
        IReadOnlyList<RedemptionView> candidates;
        await using (var query = store.QuerySession())
        {
            candidates = await query.Query<RedemptionView>()
                .Where(v => v.Outcome == RedemptionOutcome.AwaitingProvider && v.RequestedAt < cutoff)
                .OrderBy(v => v.RequestedAt)
                .Take(Batch)
                .ToListAsync(ct);
        }

        var recovered = 0;
        foreach (var view in candidates)
        {
            var provider = view.ProviderId is { } id ? providers.ByInstitution(id) : null;
            var timeout = TimeSpan.FromMilliseconds(provider?.TimeoutMs ?? longestTimeout);
            if (view.RequestedAt + timeout > cutoff)
            {
                continue; // its own call may still be running
            }

            try
            {
                recovered += await RecoverAsync(view, provider, now, ct) ? 1 : 0;
            }
            catch (Exception ex) when (!Hosting.Faults.IsDatabaseUnavailable(ex) && ex is not OperationCanceledException)
            {
                // One redemption's fault must not hold back the others; the next round tries it again.
                logger.LogWarning("Redemption {RedemptionRequestId} of client {ClientId} not recovered this round: {Reason}",
                    view.RequestId, view.ClientId, Hosting.Faults.Describe(ex));
            }
        }

        return recovered;
    }

    private async Task<bool> RecoverAsync(RedemptionView view, ProviderOptions? provider, DateTimeOffset now, CancellationToken ct)
    {
        var policy = new Redeem.OutcomePolicy(view.RequestId, provider?.TakesReversals ?? true, provider?.ReverseUnknownOutcomes ?? true);
        var outcome = RedemptionWire.UnknownOutcome(view.RequestId, "the switch stopped before the provider's answer was recorded");
        var reversalId = Guid.CreateVersion7(now).ToString();
        var changed = await ledger.DecideAsync(view.Id, state => state is Redemption.Requested { Outcome: RedemptionOutcome.AwaitingProvider } inFlight
            ? new Decision<bool>(Redeem.DecideOutcome(inFlight, outcome, policy, reversalId, time.GetUtcNow()).Events, true)
            : Decision.Only(false), ct);
        if (changed)
        {
            logger.LogWarning("Recovered redemption {RedemptionRequestId} of client {ClientId} left in flight: outcome unknown", view.RequestId, view.ClientId);
        }

        return changed;
    }
}

using EventLedger.Accounts;
using EventLedger.Clients;
using EventLedger.Operations;
using EventLedger.Providers;
using Npgsql;

namespace EventLedger.Hosting;

/// <summary>
/// One line once the switch serves, with what an operator checks first: who it is, whom it routes
/// to, who may call it, and which database it writes. Never a password or a connection string.
/// </summary>
public sealed class StartupReport(
    SwitchOptions options, ProviderDirectory providers, AccountDirectory<OriginatorClient> clients,
    AccountDirectory<OperatorAccount> operators, LedgerDatabase database, IHostApplicationLifetime lifetime,
    ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        logger.LogInformation(
            "EventLedger serving as institution {InstitutionId} ({Mode}); providers: {Providers}; clients: {Clients}; operators: {Operators}; ledger database: {Database}",
            options.InstitutionId, options.Clustered ? "clustered" : "single node",
            string.Join(", ", providers.All.Select(p => p.InstitutionId)), clients.Count, operators.Count, Describe(database));
    }

    private static string Describe(LedgerDatabase database)
    {
        if (database.IsEmbedded)
        {
            return $"embedded in {database.DataDirectory}";
        }

        var settings = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"{settings.Host}:{settings.Port}/{settings.Database}";
    }
}

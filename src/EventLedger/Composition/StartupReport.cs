using EventLedger.Accounts;
using EventLedger.Hosting;
using EventLedger.Clients;
using EventLedger.Operations;
using EventLedger.Providers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace EventLedger.Composition;

/// <summary>
/// One line once the switch serves, with what an operator checks first: where it listens, who it
/// is, whom it routes to, who may call it, and which database it writes. Never a password or a
/// connection string. It stands for ASP.NET Core's start lines, which appsettings.json turns off
/// (<c>Logging:LogLevel:Microsoft.Hosting.Lifetime</c>); and one line says when the switch stops.
/// </summary>
public sealed class StartupReport(
    SwitchOptions options, ProviderDirectory providers, AccountDirectory<OriginatorClient> clients,
    AccountDirectory<OperatorAccount> operators, LedgerDatabase database, IServer server, IHostEnvironment environment,
    IHostApplicationLifetime lifetime, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Report);
        lifetime.ApplicationStopping.Register(() => logger.LogInformation("EventLedger stopping: finishing requests and attempts in progress"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        logger.LogInformation(
            "EventLedger serving on {Addresses} as institution {InstitutionId} ({Mode}, {Environment}); providers: {Providers}; clients: {Clients}; operators: {Operators}; ledger database: {Database}",
            string.Join(", ", addresses), options.InstitutionId, options.Clustered ? "clustered" : "single node", environment.EnvironmentName,
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

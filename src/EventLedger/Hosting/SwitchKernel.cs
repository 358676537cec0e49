using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using OpenTelemetry.Metrics;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace EventLedger.Hosting;

/// <summary>What every area builds on: the switch's identity, its database, and the parts of it that are no area's own.</summary>
public sealed record SwitchKernel(SwitchOptions Options, LedgerDatabase Database, ManagementOptions Management);

/// <summary>
/// Registers the kernel: addresses, the switch's settings and database, the ledger store and
/// Wolverine with what no area owns (the areas add theirs through ConfigureMarten and
/// ConfigureWolverine), node heartbeats, the database's availability, projection lag, logging.
/// </summary>
public static class SwitchKernelConfiguration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static SwitchKernel AddSwitchKernel(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var services = builder.Services;
        var management = Settings.Read<ManagementOptions>(configuration, ManagementOptions.Section);
        var urls = string.IsNullOrEmpty(configuration["urls"]) ? DefaultUrl : configuration["urls"]!;
        builder.WebHost.UseUrls(management.Port() is null ? urls : $"{urls};{management.Url}");
        var options = Settings.Read<SwitchOptions>(configuration, SwitchOptions.Section);
        var database = new LedgerDatabase(configuration.GetConnectionString("Ledger"), options);
        services.AddSingleton(management);
        services.AddSingleton(options);
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<NodeIdentity>();
        services.AddHostedService<NodeHeartbeat>();
        services.AddSingleton<LedgerAvailability>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerAvailability>());
        services.AddSingleton<ProjectionLag>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionLag>());
        services.AddHealthChecks()
            .AddCheck<LedgerHealthCheck>("ledger", tags: ["ready"])
            .AddCheck<ProjectionLagHealthCheck>("projections", tags: ["ready"]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ProjectionLag.MeterName).AddPrometheusExporter());
        services.AddProblemDetails();
        AddCritterStack(builder, options, database);
        builder.AddSwitchLogging();
        // Ahead of Marten's and Wolverine's hosted services, which need the database to start.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartupGate>());
        return new SwitchKernel(options, database, management);
    }

    private static void AddCritterStack(WebApplicationBuilder builder, SwitchOptions options, LedgerDatabase database)
    {
        var services = builder.Services;
        // The embedded database is the switch's own; an external one changes only by migration
        // (db-apply or migrations/) unless the operator opts in.
        var applySchema = options.ApplySchemaOnStartup ?? database.IsEmbedded;
        var marten = services.AddMarten(_ =>
            {
                var store = new StoreOptions();
                LedgerStore.Configure(store, database.ConnectionString, applySchema);
                return store;
            })
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = LedgerStore.MessagingSchema)
            .AddAsyncDaemon(options.Clustered ? DaemonMode.HotCold : DaemonMode.Solo);
        if (applySchema)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }

        services.CritterStackDefaults(defaults =>
        {
            defaults.Development.GeneratedCodeMode = options.GeneratedCode;
            defaults.Production.GeneratedCodeMode = options.GeneratedCode;
        });
        builder.Host.UseWolverine(wolverine =>
        {
            wolverine.UseRuntimeCompilation();
            wolverine.AutoBuildMessageStorageOnStartup = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            wolverine.Durability.Mode = options.Clustered ? DurabilityMode.Balanced : DurabilityMode.Solo;
            // Two processes on one host could otherwise mint the same envelope id (Wolverine's NewId).
            wolverine.EnvelopeIdGeneration = EnvelopeIdGeneration.GuidV7;
            wolverine.Durability.HealthCheckPollingTime = TimeSpan.FromMilliseconds(options.NodeHeartbeatMs);
            wolverine.Durability.StaleNodeTimeout = TimeSpan.FromMilliseconds(options.NodeStaleAfterMs);
            wolverine.Policies.AutoApplyTransactions();
        });
        services.AddWolverineHttp();
    }
}

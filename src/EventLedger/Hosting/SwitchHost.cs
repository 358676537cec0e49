using EventLedger.Accounts;
using EventLedger.ApiReference;
using EventLedger.Clients;
using EventLedger.Demo;
using EventLedger.Finance;
using EventLedger.Providers;
using EventLedger.Operations;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Security;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Vouchers;
using JasperFx;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Weasel.Core;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten;

namespace EventLedger.Hosting;

/// <summary>Wires the switch's areas together; each area's own rules live in its folder.</summary>
public static class SwitchHost
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string DefaultSimulatorUrl = "http://127.0.0.1:5090";
    public const string LedgerSchema = "ledger";
    public const string MessagingSchema = "wolverine";

    /// <param name="serving">
    /// Whether the switch is to serve (the run command). Only then must its configuration be
    /// complete: the other commands (hash-password, codegen, db-patch, db-apply, projections) run
    /// before or beside a deployment and need only what they touch.
    /// </param>
    public static LedgerDatabase AddEventLedger(this WebApplicationBuilder builder, bool serving = true)
    {
        var configuration = builder.Configuration;
        var management = configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        var managementPort = management.Port();
        var urls = string.IsNullOrEmpty(configuration["urls"]) ? DefaultUrl : configuration["urls"]!;
        builder.WebHost.UseUrls(managementPort is null ? urls : $"{urls};{management.Url}");

        var switchOptions = configuration.GetSection(SwitchOptions.Section).Get<SwitchOptions>() ?? new SwitchOptions();
        switchOptions.Check();
        var database = new LedgerDatabase(configuration.GetConnectionString("Ledger"), switchOptions);
        var clients = configuration.GetSection(OriginatorClient.Section).Get<List<OriginatorClient>>() ?? [];
        var providers = configuration.GetSection(ProviderOptions.Section).Get<List<ProviderOptions>>() ?? [];
        var operators = configuration.GetSection(OperatorAccount.Section).Get<List<OperatorAccount>>() ?? [];
        var forwarding = configuration.GetSection(StoreAndForwardOptions.Section).Get<StoreAndForwardOptions>() ?? new StoreAndForwardOptions();
        forwarding.Check();

        var services = builder.Services;
        var demoWanted = DemoMode.IsWanted(configuration, database.IsEmbedded);
        management.ApiReference ??= demoWanted;
        services.AddSingleton(management);
        if (demoWanted)
        {
            var demo = new DemoMode(configuration[$"{DemoMode.Section}:SimulatorUrl"] ?? DefaultSimulatorUrl, switchOptions.InstitutionId);
            providers.Add(demo.Provider);
            if (clients.Count == 0)
            {
                clients.Add(DemoMode.DemoClient());
            }

            if (operators.Count == 0)
            {
                operators.Add(DemoMode.DemoOperator());
            }

            services.AddSingleton(demo);
            services.AddHostedService<DemoHost>();
        }
        else if (serving && (providers.Count == 0 || clients.Count == 0))
        {
            throw new StartupException(
                $"{(providers.Count == 0 ? ProviderOptions.Section : OriginatorClient.Section)}: no entry configured (expected {(providers.Count == 0 ? "Providers:0:InstitutionId, …" : "Clients:0:Id, …")}); the switch does not start half-configured, and demo mode runs only with no Providers, Clients or ConnectionStrings:Ledger at all (docs/configuration.md).");
        }

        services.AddSingleton(switchOptions);
        services.AddSingleton(database);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton(new AccountDirectory<OriginatorClient>(OriginatorClient.Section, clients));
        services.AddSingleton(new AccountDirectory<OperatorAccount>(OperatorAccount.Section, operators));
        var providerDirectory = new ProviderDirectory(providers);
        services.AddSingleton(providerDirectory);
        services.AddSingleton<ProviderGateway>();
        services.AddSingleton<Forwarding>();
        services.AddSingleton<IAdviceOutbox>(sp => sp.GetRequiredService<Forwarding>());
        services.AddSingleton<RedemptionLedger>();
        services.AddSingleton(forwarding);
        var lookups = configuration.GetSection(LookupOptions.Section).Get<LookupOptions>() ?? new LookupOptions();
        if (lookups.ProjectionPollingMs is < 10 or > 60_000)
        {
            throw new StartupException("Lookups:ProjectionPollingMs must be 10..60000.");
        }

        services.AddSingleton(lookups);
        services.AddSingleton(configuration.GetSection(RedemptionOptions.Section).Get<RedemptionOptions>() ?? new RedemptionOptions());
        services.AddHostedService<StartupReport>();
        services.AddHostedService<InFlightRecovery>();
        services.AddSingleton<UnknownAnswers>();
        services.AddHostedService(sp => sp.GetRequiredService<UnknownAnswers>());
        services.AddSingleton<AdviceForwarder>();
        services.AddSingleton<AdviceMetrics>();
        services.AddHostedService<BacklogMonitor>();
        services.AddHostedService<OverdueSweeper>();
        services.AddSingleton<NodeIdentity>();
        services.AddHostedService<NodeHeartbeat>();
        services.AddSingleton<LedgerAvailability>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerAvailability>());
        services.AddSingleton<ProjectionLag>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionLag>());
        var finance = configuration.GetSection(FinanceOptions.Section).Get<FinanceOptions>() ?? new FinanceOptions();
        try
        {
            finance.Zone();
        }
        catch (TimeZoneNotFoundException)
        {
            throw new StartupException($"Finance:TimeZone '{finance.TimeZone}' is not a known IANA time zone.");
        }

        services.AddSingleton(finance);
        services.AddSingleton<BusinessDays>();
        services.AddSingleton(sp => new VoucherCodes(VoucherHashKey.Resolve(switchOptions, database)));

        // The embedded database is the switch's own; an external one changes only by migration
        // (db-apply or migrations/) unless the operator opts in.
        var applySchema = switchOptions.ApplySchemaOnStartup ?? database.IsEmbedded;
        var marten = services.AddMarten(_ => LedgerStore(database, applySchema, lookups))
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = MessagingSchema)
            .AddAsyncDaemon(switchOptions.Clustered ? DaemonMode.HotCold : DaemonMode.Solo);
        if (applySchema)
        {
            marten.ApplyAllDatabaseChangesOnStartup();
        }

        services.CritterStackDefaults(defaults =>
        {
            defaults.Development.GeneratedCodeMode = switchOptions.GeneratedCode;
            defaults.Production.GeneratedCodeMode = switchOptions.GeneratedCode;
        });
        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            opts.AutoBuildMessageStorageOnStartup = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
            opts.Durability.Mode = switchOptions.Clustered ? DurabilityMode.Balanced : DurabilityMode.Solo;
            // Two processes on one host could otherwise mint the same envelope id (Wolverine's NewId).
            opts.EnvelopeIdGeneration = EnvelopeIdGeneration.GuidV7;
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromMilliseconds(switchOptions.NodeHeartbeatMs);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromMilliseconds(switchOptions.NodeStaleAfterMs);
            opts.Policies.AutoApplyTransactions();
            // Scheduled retries wait in the database; this is how soon one due is picked up.
            opts.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(forwarding.ScheduledPollingMs);
            foreach (var provider in providerDirectory.All)
            {
                // One durable queue per provider: a dead provider fills its own slots, never another's.
                opts.LocalQueue(Forwarding.QueueName(provider.InstitutionId))
                    .UseDurableInbox()
                    .MaximumParallelMessages(forwarding.MaxParallelPerProvider);
            }
        });
        services.AddWolverineHttp();
        services.AddApiReference();
        services.AddHealthChecks()
            .AddCheck<LedgerHealthCheck>("ledger", tags: ["ready"])
            .AddCheck<AdviceBacklogHealthCheck>("advice-backlog", tags: ["ready"])
            .AddCheck<ProjectionLagHealthCheck>("projections", tags: ["ready"]);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(AdviceMetrics.MeterName, ProjectionLag.MeterName)
            .AddPrometheusExporter());
        services.AddProblemDetails();

        if (string.Equals(configuration["Logging:Console:FormatterName"], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line for log shippers, with the request's and the redemption's
            // identifiers (the logging scopes) as fields and UTC times.
            builder.Logging.AddJsonConsole();
            // Defaults for what the configuration leaves unsaid (Logging:Console:FormatterOptions).
            var formatter = configuration.GetSection("Logging:Console:FormatterOptions");
            services.PostConfigure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(json =>
            {
                json.IncludeScopes = formatter.GetValue("IncludeScopes", true);
                json.UseUtcTimestamp = formatter.GetValue("UseUtcTimestamp", true);
                json.TimestampFormat = formatter["TimestampFormat"] ?? "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        // StartupReport says where the switch listens, with what it needs besides, in one line.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Request and HttpClient logs carry query strings, and a lookup's query holds a voucher code.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // Readiness reports each failing check; the database's absence is logged once by LedgerAvailability.
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
        FaultLogFilter.Apply(services);

        // Ahead of Marten's and Wolverine's hosted services, which need the database to start.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, DatabaseStartupGate>());
        return database;
    }

    public static void UseEventLedger(this WebApplication app)
    {
        app.UseExceptionHandler(errors => errors.Run(WriteServerFault));
        app.UseStatusCodePages(EmptyErrors.WriteAsync);
        app.UseControlCharacterGuard();
        app.UseOriginatorAuthentication();
        app.UseBasicAuthentication<OperatorAccount>(OperatorAccount.BasePath, "EventLedger operations");
        app.UseLedgerFaultHandling(OriginatorAuthentication.SuvBasePath, OperatorAccount.BasePath);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        var management = app.Services.GetRequiredService<ManagementOptions>();
        if (management.Port() is { } port)
        {
            // By the port the connection came in on, not the Host header, which the client writes.
            app.Use(async (context, next) =>
            {
                if (ManagementOptions.IsManagementPath(context.Request.Path) && context.Connection.LocalPort != port)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await next(context);
            });
        }

        if (management.Metrics)
        {
            app.MapPrometheusScrapingEndpoint("/metrics");
        }

        if (management.ApiReference == true)
        {
            app.MapApiReference();
        }

        app.MapWolverineEndpoints();
    }

    private static StoreOptions LedgerStore(LedgerDatabase database, bool applySchema, LookupOptions lookups)
    {
        var opts = new StoreOptions();
        opts.Connection(database.ConnectionString);
        opts.DatabaseSchemaName = LedgerSchema;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
        opts.AutoCreateSchemaObjects = applySchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // The monitors (backlog, overdue sweep, in-flight recovery) ask for the few unfinished rows
        // every few seconds; without these indexes each ask scanned every delivery and every view
        // ever written (docs/benchmarks.md, profile).
        opts.Schema.For<ProviderDelivery>().UseOptimisticConcurrency(true).Index(d => d.Status);
        // Finance finds a day's redemptions by time received, operators a provider's id by its value.
        opts.Schema.For<RedemptionView>().Index(v => v.Outcome).Index(v => v.RequestedAt!).Index(v => v.UpstreamRequestId!);
        opts.Projections.Add<RedemptionViewProjection>(ProjectionLifecycle.Async);
        // Lookups wait for the view: Marten's quiet-time default (1 s) left it 0.5 s behind on
        // average even when idle (docs/benchmarks.md, profile), so one interval for busy and quiet.
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(lookups.ProjectionPollingMs);
        opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(lookups.ProjectionPollingMs);
        // A read model that silently skips an event is wrong without saying so: stop and tell.
        foreach (var errors in new[] { opts.Projections.Errors, opts.Projections.RebuildErrors })
        {
            errors.SkipApplyErrors = false;
            errors.SkipSerializationErrors = false;
            errors.SkipUnknownEvents = false;
        }

        opts.Schema.For<ClosedDay>();
        opts.Schema.For<SwitchNode>();
        opts.Events.AddEventType<BusinessDayClosed>();
        opts.Events.AddEventType<VoucherLookedUp>();
        opts.Events.AddEventTypes(
        [
            typeof(RedemptionRequested), typeof(VoucherRedeemed), typeof(RedemptionDeclined), typeof(RedemptionNotSent),
            typeof(RedemptionOutcomeUnknown), typeof(RedemptionAnsweredUnknown), typeof(RedemptionConfirmed), typeof(RedemptionReversed),
            typeof(ReversalReceivedBeforeRequest), typeof(PendingReversalSettled), typeof(AdviceRefused), typeof(ProviderAdviceAcked),
            typeof(ProviderAdviceRefused), typeof(AdviceRetryRequested), typeof(AdviceResendRequested),
        ]);
        return opts;
    }

    /// <summary>A fault of the switch itself: an ErrorDetail without internals; the details go to the log.</summary>
    private static async Task WriteServerFault(HttpContext context)
    {
        var fault = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (fault is BadHttpRequestException bad)
        {
            // The client's framing was wrong (a broken chunk, a body cut short, one too large for
            // Kestrel): its mistake, answered as such in one log line.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventLedger.Fault")
                .LogWarning("Bad request on {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, bad.Message);
            context.Response.StatusCode = bad.StatusCode;
            await (context.Request.Path.StartsWithSegments(Operations.OperatorAccount.BasePath)
                ? Results.Problem("The request could not be read: " + bad.Message, statusCode: bad.StatusCode)
                : SuvHttp.Error(bad.StatusCode, ErrorDetail.Of(ErrorTypes.FormatError, "The request could not be read", Guid.NewGuid().ToString())))
                .ExecuteAsync(context);
            return;
        }

        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("EventLedger.Fault")
            .LogError(fault, "Unhandled fault on {Method} {Path}", context.Request.Method, context.Request.Path);
        await SuvHttp.Error(500, ErrorDetail.Of(ErrorTypes.GeneralError, "Internal error", Guid.NewGuid().ToString()))
            .ExecuteAsync(context);
    }
}

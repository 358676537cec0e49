using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Redemptions;
using Marten;
using OpenTelemetry.Metrics;
using Wolverine;

namespace EventLedger.StoreAndForward;

/// <summary>Store-and-forward registers itself: the ledger's advice outbox, one durable queue per provider, the monitors.</summary>
public static class StoreAndForwardConfiguration
{
    public static IServiceCollection AddStoreAndForward(this IServiceCollection services, IConfiguration configuration, ProviderDirectory providers)
    {
        var options = Settings.Read<StoreAndForwardOptions>(configuration, StoreAndForwardOptions.Section);
        services.AddSingleton(options);
        services.AddSingleton<Forwarding>();
        services.AddSingleton<IAdviceOutbox>(sp => sp.GetRequiredService<Forwarding>());
        services.AddSingleton<AdviceForwarder>();
        services.AddSingleton<AdviceMetrics>();
        services.AddHostedService<BacklogMonitor>();
        services.AddHostedService<OverdueSweeper>();
        services.AddHealthChecks().AddCheck<AdviceBacklogHealthCheck>("advice-backlog", tags: ["ready"]);
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(AdviceMetrics.MeterName));
        services.ConfigureMarten(store => store.Schema.For<ProviderDelivery>().UseOptimisticConcurrency(true).Index(d => d.Status));
        services.ConfigureWolverine(wolverine =>
        {
            // Scheduled retries wait in the database; this is how soon one due is picked up.
            wolverine.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(options.ScheduledPollingMs);
            foreach (var provider in providers.All)
            {
                // One durable queue per provider: a dead provider fills its own slots, never another's.
                wolverine.LocalQueue(Forwarding.QueueName(provider.InstitutionId))
                    .UseDurableInbox()
                    .MaximumParallelMessages(options.MaxParallelPerProvider);
            }
        });
        return services;
    }
}

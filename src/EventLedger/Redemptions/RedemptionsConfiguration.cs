using EventLedger.Hosting;
using JasperFx.Events.Projections;
using Marten;

namespace EventLedger.Redemptions;

/// <summary>The redemptions area registers itself: its settings, the ledger, recovery, its events and the view lookups read.</summary>
public static class RedemptionsConfiguration
{
    public static IServiceCollection AddRedemptions(this IServiceCollection services, IConfiguration configuration)
    {
        var lookups = Settings.Read<LookupOptions>(configuration, LookupOptions.Section);
        services.AddSingleton(lookups);
        services.AddSingleton(Settings.Read<RedemptionOptions>(configuration, RedemptionOptions.Section));
        services.AddSingleton<RedemptionLedger>();
        services.AddHostedService<InFlightRecovery>();
        services.AddSingleton<UnknownAnswers>();
        services.AddHostedService(sp => sp.GetRequiredService<UnknownAnswers>());
        services.ConfigureMarten(store => Store(store, lookups));
        return services;
    }

    private static void Store(StoreOptions store, LookupOptions lookups)
    {
        store.Events.AddEventTypes(
        [
            typeof(RedemptionRequested), typeof(VoucherRedeemed), typeof(RedemptionDeclined), typeof(RedemptionNotSent),
            typeof(RedemptionOutcomeUnknown), typeof(RedemptionAnsweredUnknown), typeof(RedemptionConfirmed), typeof(RedemptionReversed),
            typeof(ReversalReceivedBeforeRequest), typeof(PendingReversalSettled), typeof(AdviceRefused), typeof(ProviderAdviceAcked),
            typeof(ProviderAdviceRefused), typeof(AdviceRetryRequested), typeof(AdviceResendRequested),
        ]);
        // Finance finds a day's redemptions by time received, operators a provider's id by its value.
        store.Schema.For<RedemptionView>().Index(v => v.Outcome).Index(v => v.RequestedAt!).Index(v => v.UpstreamRequestId!);
        store.Projections.Add<RedemptionViewProjection>(ProjectionLifecycle.Async);
        // Lookups wait for the view: Marten's quiet-time default (1 s) left it 0.5 s behind on
        // average even when idle (docs/benchmarks.md, profile), so one interval for busy and quiet.
        store.Projections.FastPollingTime = TimeSpan.FromMilliseconds(lookups.ProjectionPollingMs);
        store.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(lookups.ProjectionPollingMs);
    }
}

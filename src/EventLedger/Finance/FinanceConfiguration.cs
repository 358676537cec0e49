using EventLedger.Hosting;
using Marten;

namespace EventLedger.Finance;

/// <summary>Finance registers itself: its settings, business days, the closed days and settlement reports it keeps.</summary>
public static class FinanceConfiguration
{
    public static IServiceCollection AddFinance(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(Settings.Read<FinanceOptions>(configuration, FinanceOptions.Section));
        services.AddSingleton<BusinessDays>();
        services.ConfigureMarten(store =>
        {
            store.Schema.For<ClosedDay>();
            store.Schema.For<SettlementReport>();
            store.Events.AddEventType<BusinessDayClosed>();
            store.Events.AddEventType<SettlementFileMatched>();
        });
        return services;
    }
}

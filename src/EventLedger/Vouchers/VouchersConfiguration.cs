using Marten;

namespace EventLedger.Vouchers;

/// <summary>Voucher lookups register themselves: the event each lookup records.</summary>
public static class VouchersConfiguration
{
    public static IServiceCollection AddVouchers(this IServiceCollection services) =>
        services.ConfigureMarten(store => store.Events.AddEventType<VoucherLookedUp>());
}

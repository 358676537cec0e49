using EventLedger.Hosting;

namespace EventLedger.Security;

/// <summary>Security registers itself: voucher-code protection under the switch's keyed hash.</summary>
public static class SecurityConfiguration
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, SwitchOptions options, LedgerDatabase database) =>
        services.AddSingleton(_ => new VoucherCodes(VoucherHashKey.Resolve(options, database)));
}

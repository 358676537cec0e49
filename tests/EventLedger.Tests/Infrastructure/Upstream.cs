using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// The ids the provider sees for an originator's messages (the switch presents its own upstream):
/// how a test points the simulator's behaviours at one message and finds it in the simulator's book.
/// </summary>
public static class Upstream
{
    public static string Request(string requestId, string clientId = SwitchFixture.ClientId) => UpstreamIds.Request(clientId, requestId);

    public static string Advice(string adviceId, string clientId = SwitchFixture.ClientId) => UpstreamIds.Advice(clientId, adviceId);

    /// <summary>The provider's id for a message of this operation: lookups are matched by voucher code, which is not replaced.</summary>
    public static string For(string operation, string id) => operation switch
    {
        Operation.Lookup => id,
        Operation.Redeem => Request(id),
        _ => Advice(id),
    };
}

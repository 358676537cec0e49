using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// The ids the provider sees for an originator's messages (the switch presents its own upstream):
/// how a test points the simulator's behaviours at one message and finds it in the simulator's book.
/// </summary>
public static class Upstream
{
    public static string Request(string requestId, string clientId = SwitchFixture.ClientId) => UpstreamIds.Request(clientId, requestId);

    public static string Advice(string requestId, string adviceId, string clientId = SwitchFixture.ClientId) =>
        UpstreamIds.Advice(clientId, requestId, adviceId);

    public static string Advice(BasicAdvice advice) => Advice(advice.RequestId!, advice.Id!);

    /// <summary>The provider's id for a request or lookup: lookups are matched by voucher code, which is not replaced.</summary>
    public static string For(string operation, string id) => operation switch
    {
        Operation.Lookup => id,
        Operation.Redeem => Request(id),
        _ => throw new ArgumentException("an advice's upstream id needs its request id: use Advice", nameof(operation)),
    };
}

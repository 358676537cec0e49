using System.Security.Cryptography;
using System.Text;
using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

/// <summary>
/// The ids the switch presents to providers. Originators choose their own UUIDs, scoped to their
/// client id inside the switch; providers see one client, the switch, so an originator's id passed
/// on unchanged could reach another originator's redemption (a cloned till image, a careless or a
/// hostile one). Every request and advice therefore goes upstream under an id of the switch's:
/// a name-based UUID of the client id and the originator's id (SHA-256 under the switch's namespace,
/// laid out as RFC 9562's version 8 example for name-based UUIDs). Distinct for
/// every (client, id) pair, the same on every attempt and after every restart, and recorded in the
/// request event, so each maps back to exactly one redemption (docs/protocol.md, "Identifiers upstream").
/// </summary>
public static class UpstreamIds
{
    /// <summary>The switch's own namespace for name-based UUIDs; fixed forever, or every id upstream changes.</summary>
    private static readonly Guid Namespace = new("6f1d3c52-8f0e-4a8b-9c35-6d2a9e1b7c40");

    /// <summary>The id a redemption request goes to its provider under.</summary>
    public static string Request(string clientId, string requestId) => NameBased($"request\n{clientId}\n{requestId.ToLowerInvariant()}");

    /// <summary>
    /// The id an advice (the originator's, or the switch's own reversal) goes to its provider under:
    /// of its redemption's key too, so that a till reusing an advice id on another request never
    /// sends the provider one id for two advices.
    /// </summary>
    public static string Advice(string clientId, string requestId, string adviceId) =>
        NameBased($"advice\n{clientId}\n{requestId.ToLowerInvariant()}\n{adviceId.ToLowerInvariant()}");

    /// <summary>
    /// An advice as the provider gets it: the switch's id for it, the exact request id the provider
    /// received, and, as the contract says, "the unaltered thirdPartyIdentifiers array as supplied in
    /// the related response" (the request's, when no response came). Everything else as the originator sent it.
    /// </summary>
    public static string AdviceJson(AdviceKind kind, string adviceJson, string clientId, string adviceId, Redemption.Requested redemption)
    {
        BasicAdvice advice = kind == AdviceKind.Reversal
            ? Suv.SuvJson.Deserialize<BasicReversal>(adviceJson)
            : Suv.SuvJson.Deserialize<BasicAdvice>(adviceJson);
        return kind == AdviceKind.Reversal
            ? Suv.SuvJson.Serialize((BasicReversal)Upstream(advice, clientId, adviceId, redemption))
            : Suv.SuvJson.Serialize(Upstream(advice, clientId, adviceId, redemption));
    }

    private static BasicAdvice Upstream(BasicAdvice advice, string clientId, string adviceId, Redemption.Requested redemption) => advice with
    {
        Id = Advice(clientId, redemption.RequestId, adviceId),
        RequestId = redemption.UpstreamRequestId,
        ThirdPartyIdentifiers = [.. redemption.Identifiers],
    };

    private static string NameBased(string name)
    {
        Span<byte> space = stackalloc byte[16];
        Namespace.TryWriteBytes(space, bigEndian: true, out _);
        var hash = SHA256.HashData([.. space, .. Encoding.UTF8.GetBytes(name)]);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(hash.AsSpan(0, 16), bigEndian: true).ToString();
    }
}

using System.Globalization;
using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

/// <summary>An HTTP answer decided by the ledger: a status and the exact JSON body sent.</summary>
public sealed record LedgerAnswer(int Status, string Json)
{
    public IResult ToResult() => Results.Text(Json, "application/json", System.Text.Encoding.UTF8, Status);

    public static LedgerAnswer Error(int status, ErrorDetail error) => new(status, Suv.SuvJson.Serialize(error));
}

/// <summary>Formats shared by the redemption slices.</summary>
public static class LedgerTime
{
    /// <summary>RFC 3339 with milliseconds, as the contract recommends, for messages the switch creates.</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

using System.Globalization;

namespace EventLedger.Redemptions;

/// <summary>Times in the messages the switch writes itself.</summary>
public static class SuvTime
{
    /// <summary>RFC 3339 with milliseconds, as the contract recommends, for messages the switch creates.</summary>
    public static string Rfc3339(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

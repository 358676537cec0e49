using System.Globalization;
using EventLedger.Redemptions;

namespace EventLedger.OperatorConsole;

/// <summary>How the console writes times, ages, amounts and links: one way on every page.</summary>
public static class Format
{
    public static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + (time is null ? "" : " UTC");

    public static string Age(TimeSpan age) => age.TotalSeconds switch
    {
        < 0 => "0 s",
        < 120 => $"{age.TotalSeconds:0} s",
        < 7_200 => $"{age.TotalMinutes:0} min",
        < 172_800 => $"{age.TotalHours:0.#} h",
        _ => $"{age.TotalDays:0.#} days",
    };

    /// <summary>
    /// Amounts as the ledger holds them, in minor units with thousands separated: exact, and with no
    /// guess at a currency's decimals (the columns say "minor units").
    /// </summary>
    public static string Amount(long? minor) => minor?.ToString("N0", CultureInfo.InvariantCulture) ?? "";

    public static string Amount(Int128 minor) => minor.ToString("N0", CultureInfo.InvariantCulture);

    public static string TimelineLink(RedemptionView view) =>
        $"/console/transactions/{Uri.EscapeDataString(view.ClientId)}/{Uri.EscapeDataString(view.RequestId)}";
}

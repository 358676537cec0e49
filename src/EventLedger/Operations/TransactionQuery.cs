using System.Globalization;
using EventLedger.Redemptions;

namespace EventLedger.Operations;

/// <summary>
/// A search of transactions, checked: a time window (default the last 24 hours), filters, a page.
/// The API reads it from its query string and the console from its form, through <see cref="Parse"/>.
/// </summary>
/// <param name="RequestId">An originator's request id or a provider's (upstream) one, lower-cased.</param>
/// <param name="VoucherCodeHash">The keyed hash of a voucher code: the code itself is never a filter anyone stores.</param>
public sealed record TransactionQuery(
    DateTimeOffset From, DateTimeOffset To, string? Client, string? Merchant, string? Terminal, string? Provider, TransactionStatus? Status,
    string? UpstreamRequestId, string? RequestId, string? VoucherCodeHash, int Limit, int Offset)
{
    public const int MaxOffset = 100_000;

    /// <summary>The query, or why the fields given make none.</summary>
    /// <param name="field">A field's text by name; empty when not given.</param>
    /// <param name="voucherCodeHash">The hash of the voucher code searched for, when one was.</param>
    public static (TransactionQuery? Query, string? Error) Parse(Func<string, string> field, DateTimeOffset now, string? voucherCodeHash)
    {
        if (!TryTime(field("from"), now.AddDays(-1), out var from) || !TryTime(field("to"), now.AddMinutes(1), out var to) || from >= to)
        {
            return (null, "from and to must be RFC 3339 times with from before to (default: the last 24 hours)");
        }

        if (!TryInt(field("limit"), AdviceOperations.DefaultPageSize, 1, AdviceOperations.MaxPageSize, out var limit) ||
            !TryInt(field("offset"), 0, 0, MaxOffset, out var offset))
        {
            return (null, $"limit must be 1..{AdviceOperations.MaxPageSize}, offset 0..{MaxOffset}");
        }

        TransactionStatus? status = null;
        if (field("status") is { Length: > 0 } statusText)
        {
            if (!Enum.TryParse<TransactionStatus>(statusText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return (null, $"status must be one of {string.Join(", ", Enum.GetNames<TransactionStatus>())}");
            }

            status = parsed;
        }

        return (new TransactionQuery(
            from, to, Given(field("client")), Given(field("merchant")), Given(field("terminal")), Given(field("provider")), status,
            Given(field("upstreamRequestId"))?.ToLowerInvariant(), Given(field("requestId"))?.ToLowerInvariant(), voucherCodeHash, limit, offset), null);
    }

    private static string? Given(string text) => text.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static bool TryTime(string text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static bool TryInt(string text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventLedger.Redemptions;
using Marten;
using Npgsql;

namespace EventLedger.Finance;

/// <summary>Finance settings (section <c>Finance</c>).</summary>
public sealed class FinanceOptions
{
    public const string Section = "Finance";

    /// <summary>IANA time zone whose calendar days are the business days (e.g. Africa/Johannesburg).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Most redemptions one business day may hold for totals, closing and matching.</summary>
    public int MaxRedemptionsPerDay { get; set; } = 1_000_000;

    /// <summary>Largest settlement file accepted.</summary>
    public int MaxSettlementFileBytes { get; set; } = 20 * 1024 * 1024;

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>Counts and amounts (minor units) of one provider's redemptions at one merchant in one currency on one day.</summary>
public sealed record DayTotal(
    string Provider, string Merchant, string Currency,
    int Approved, long ApprovedAmount, int Confirmed, long ConfirmedAmount, int Reversed, long ReversedAmount,
    int Declined, long DeclinedAmount, int Unknown, long UnknownAmount, int Open, long OpenAmount, int NotSent,
    long NetAmount);

/// <summary>The redemptions of a business day and what finance computes from them.</summary>
public sealed class BusinessDays(IDocumentStore store, Hosting.LedgerDatabase database, FinanceOptions options)
{
    // Not named TryParse: Wolverine would take this class for a value it parses from routes.
    public static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    /// <summary>The day's bounds in UTC: midnight to midnight in the configured time zone.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Bounds(DateOnly day)
    {
        var zone = options.Zone();
        DateTimeOffset Start(DateOnly d)
        {
            var local = d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }

        return (Start(day), Start(day.AddDays(1)));
    }

    public async Task<IReadOnlyList<RedemptionView>> RedemptionsAsync(DateOnly day, CancellationToken ct)
    {
        var (from, to) = Bounds(day);
        await using var session = store.QuerySession();
        var views = await session.Query<RedemptionView>()
            .Where(v => v.RequestedAt >= from && v.RequestedAt < to)
            .OrderBy(v => v.Id)
            .Take(options.MaxRedemptionsPerDay + 1)
            .ToListAsync(ct);
        if (views.Count > options.MaxRedemptionsPerDay)
        {
            throw new InvalidOperationException($"{day} holds more than Finance:MaxRedemptionsPerDay ({options.MaxRedemptionsPerDay}) redemptions");
        }

        return views;
    }

    /// <summary>Totals per provider, merchant and currency; the net amount is what was redeemed and stands.</summary>
    public static IReadOnlyList<DayTotal> Totals(IEnumerable<RedemptionView> views) => views
        .Where(v => v.Status != TransactionStatus.ReversedBeforeRequest)
        .GroupBy(v => (Provider: v.ProviderId ?? "", Merchant: v.MerchantId ?? "", Currency: v.Currency ?? ""))
        .OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Merchant, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
        .Select(g =>
        {
            int Count(TransactionStatus s) => g.Count(v => v.Status == s);
            long Sum(TransactionStatus s) => g.Where(v => v.Status == s).Sum(Amount);
            return new DayTotal(g.Key.Provider, g.Key.Merchant, g.Key.Currency,
                Count(TransactionStatus.Approved), Sum(TransactionStatus.Approved),
                Count(TransactionStatus.Confirmed), Sum(TransactionStatus.Confirmed),
                Count(TransactionStatus.Reversed), Sum(TransactionStatus.Reversed),
                Count(TransactionStatus.Declined), Sum(TransactionStatus.Declined),
                Count(TransactionStatus.Unknown), Sum(TransactionStatus.Unknown),
                Count(TransactionStatus.Open), Sum(TransactionStatus.Open),
                Count(TransactionStatus.NotSent),
                Sum(TransactionStatus.Approved) + Sum(TransactionStatus.Confirmed));
        })
        .ToList();

    /// <summary>The amount a redemption counts for: what was approved, else what was asked.</summary>
    public static long Amount(RedemptionView view) => view.ApprovedAmountMinor ?? view.RequestAmountMinor ?? 0;

    /// <summary>
    /// SHA-256 over every event of the day's redemption streams (stream, version, type and the
    /// stored JSON, in stream then version order), with the highest sequence seen: what a closed day is frozen at.
    /// </summary>
    public async Task<(string Hash, int Events, long LastSequence)> HashAsync(IReadOnlyList<RedemptionView> views, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "select stream_id, version, type, data::text, seq_id from ledger.mt_events where stream_id = any(@ids) order by stream_id, version",
            connection);
        command.Parameters.AddWithValue("ids", views.Select(v => v.Id).ToArray());
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = 0;
        long last = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(string.Join('|', reader.GetString(0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3)) + "\n"));
            count++;
            last = Math.Max(last, reader.GetInt64(4));
        }

        return (Convert.ToHexStringLower(sha.GetHashAndReset()), count, last);
    }
}

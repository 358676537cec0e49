using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventLedger.Redemptions;
using Marten;
using Npgsql;

namespace EventLedger.Finance;

/// <summary>Finance settings (section <c>Finance</c>).</summary>
public sealed class FinanceOptions : Hosting.ICheckedSettings
{
    public const string Section = "Finance";

    /// <summary>IANA time zone whose calendar days are the business days (e.g. Africa/Johannesburg).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// Most redemptions of one provider on one day that settlement matching holds in memory; a
    /// larger day is refused with a problem (totals and closing stream and have no such limit).
    /// </summary>
    public int MaxRedemptionsPerDay { get; set; } = 1_000_000;

    /// <summary>Longest a day's events may take to read (the one query behind totals, closing and matching).</summary>
    public int DayQueryTimeoutSeconds { get; set; } = 300;

    /// <summary>Largest settlement file accepted.</summary>
    public int MaxSettlementFileBytes { get; set; } = 20 * 1024 * 1024;

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    public void Check()
    {
        try
        {
            Zone();
        }
        catch (TimeZoneNotFoundException)
        {
            throw new Hosting.StartupException($"{Section}:TimeZone '{TimeZone}' is not a known IANA time zone.");
        }

        Hosting.Settings.Within($"{Section}:MaxRedemptionsPerDay", MaxRedemptionsPerDay, 1, 10_000_000);
        // 0: no limit (Npgsql's meaning), for days too large to read in an hour.
        Hosting.Settings.Within($"{Section}:DayQueryTimeoutSeconds", DayQueryTimeoutSeconds, 0, 86_400);
        Hosting.Settings.Within($"{Section}:MaxSettlementFileBytes", MaxSettlementFileBytes, 1, 1 << 30);
    }
}

/// <summary>
/// Counts and amounts (minor units) of one provider's redemptions at one merchant in one currency on
/// one day. Sums are 128-bit: every amount the contract allows (up to the int64 limit) adds up exactly.
/// </summary>
public sealed record DayTotal(
    string Provider, string Merchant, string Currency,
    long Approved, Int128 ApprovedAmount, long Confirmed, Int128 ConfirmedAmount, long Reversed, Int128 ReversedAmount,
    long Declined, Int128 DeclinedAmount, long Unknown, Int128 UnknownAmount, long Open, Int128 OpenAmount, long NotSent,
    Int128 NetAmount);

/// <summary>
/// A day as read from the events themselves, in one statement: its totals and the hash of exactly
/// the events they were computed from, so that what a close freezes and what it hashes cannot differ.
/// </summary>
public sealed record DayLedger(IReadOnlyList<DayTotal> Totals, string EventsHash, int EventCount, long LastSequence);

/// <summary>
/// A day the switch cannot answer for as asked, with the status finance gets: 409 while the views
/// trail (try again), 422 when a day is too large to match in memory; 400 or 413 for a settlement
/// file that cannot be read or is too large.
/// </summary>
public sealed class DayUnavailableException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;

    public IResult ToProblem() => Results.Problem(Message, statusCode: Status);
}

/// <summary>The redemptions of a business day and what finance computes from them.</summary>
public sealed class BusinessDays(IDocumentStore store, Hosting.LedgerDatabase database, FinanceOptions options)
{
    // Not named TryParse: Wolverine would take this class for a value it parses from routes.
    // Days from 2000 to 9998 only: a day's bounds need the day after it, and the time zone's offset
    // at both ends, inside what DateTimeOffset can hold (9999-12-31 was a 500).
    public static bool TryParseDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
        && day >= FirstDay && day <= LastDay;

    public static readonly DateOnly FirstDay = new(2000, 1, 1);

    public static readonly DateOnly LastDay = new(9998, 12, 31);

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

    /// <summary>
    /// Reads the day from its events: the streams of the redemptions requested in it (found by the
    /// view's index), every event of each read in one statement, hashed and folded as read. Each
    /// redemption, folded exactly as the view folds it, goes to <paramref name="each"/> as well.
    /// </summary>
    public async Task<DayLedger> ReadAsync(DateOnly day, Action<RedemptionView>? each, CancellationToken ct)
    {
        var (from, to) = Bounds(day);
        IReadOnlyList<string> streams;
        await using (var session = store.QuerySession())
        {
            streams = await session.Query<RedemptionView>().Where(v => v.RequestedAt >= from && v.RequestedAt < to)
                .Select(v => v.Id).ToListAsync(ct);
        }

        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Hosting.LedgerSql.EventsOfStreams, connection)
        {
            CommandTimeout = options.DayQueryTimeoutSeconds,
        };
        command.Parameters.AddWithValue("ids", streams.ToArray());
        var serializer = store.Options.Serializer();
        var totals = new DayTotals();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var count = 0;
        long last = 0;
        RedemptionView? view = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var streamId = reader.GetString(0);
            var version = reader.GetInt64(1);
            var sequence = reader.GetInt64(4);
            // The hash's form is fixed: days closed before keep comparing equal.
            sha.AppendData(Encoding.UTF8.GetBytes(string.Join('|', streamId, version.ToString(CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3)) + "\n"));
            count++;
            last = Math.Max(last, sequence);
            if (view?.Id != streamId)
            {
                Completed(view, totals, each);
                view = new RedemptionView { Id = streamId };
            }

            var data = serializer.FromJson(EventType(reader.GetString(6)), reader, 3);
            RedemptionViewProjection.Fold(view, new RedemptionViewProjection.Recorded(
                data, reader.GetFieldValue<DateTimeOffset>(5), version, sequence));
        }

        Completed(view, totals, each);
        return new DayLedger(totals.Result(), Convert.ToHexStringLower(sha.GetHashAndReset()), count, last);
    }

    /// <summary>
    /// How long after a day's end a request stamped in it may still commit (a transaction is stamped
    /// when it begins; a request waits at most 10 s for its redemption's lock and 5 s, by default, to
    /// record): a day is closed only once this has passed too.
    /// </summary>
    public static readonly TimeSpan SettlingMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <see cref="ReadAsync"/> for finance's reports: a day that has ended only once the view has
    /// applied every request of it (<see cref="DayUnavailableException"/>, 409, otherwise), so that
    /// none is left out; the current day as it stands.
    /// </summary>
    public async Task<DayLedger> ReadReportAsync(DateOnly day, Action<RedemptionView>? each, DateTimeOffset now, CancellationToken ct)
    {
        if (Bounds(day).To <= now)
        {
            await EnsureViewsCaughtUpAsync(day, ct);
        }

        return await ReadAsync(day, each, ct);
    }

    /// <summary>The day's redemptions of one provider, folded from their events, for matching; bounded by <see cref="FinanceOptions.MaxRedemptionsPerDay"/>.</summary>
    public async Task<IReadOnlyList<RedemptionView>> RedemptionsAsync(DateOnly day, string provider, DateTimeOffset now, CancellationToken ct)
    {
        var views = new List<RedemptionView>();
        await ReadReportAsync(day, view =>
        {
            if (view.ProviderId != provider)
            {
                return;
            }

            if (views.Count == options.MaxRedemptionsPerDay)
            {
                throw new DayUnavailableException(422,
                    $"{day:yyyy-MM-dd} holds more than Finance:MaxRedemptionsPerDay ({options.MaxRedemptionsPerDay}) redemptions of {provider}");
            }

            views.Add(view);
        }, now, ct);
        return views;
    }

    /// <summary>The stored names of the events that start a redemption stream, and so a view.</summary>
    private static readonly string[] RedemptionStarts =
        [JasperFx.Events.EventTypeExtensions.GetEventTypeName<RedemptionRequested>(),
            JasperFx.Events.EventTypeExtensions.GetEventTypeName<ReversalReceivedBeforeRequest>()];

    /// <summary>
    /// Throws <see cref="DayUnavailableException"/> while the view that finds a day's redemptions has
    /// not applied every request received before the day ended: a close then would leave some out.
    /// </summary>
    public async Task EnsureViewsCaughtUpAsync(DateOnly day, CancellationToken ct)
    {
        var applied = (await store.Advanced.AllProjectionProgress(token: ct))
            .Where(p => p.ShardName.Split(':')[0] == nameof(RedemptionView)).Select(p => p.Sequence).DefaultIfEmpty(0).Min();
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Hosting.LedgerSql.StreamStartedPast, connection);
        command.Parameters.AddWithValue("applied", applied);
        command.Parameters.AddWithValue("to", Bounds(day).To);
        command.Parameters.AddWithValue("types", RedemptionStarts);
        if ((bool)(await command.ExecuteScalarAsync(ct))!)
        {
            throw new DayUnavailableException(409, "the ledger's views have not yet applied every request of the day; try again in a few seconds");
        }
    }

    /// <summary>The amount a redemption counts for: what was approved, else what was asked.</summary>
    public static long Amount(RedemptionView view) => view.ApprovedAmountMinor ?? view.RequestAmountMinor ?? 0;

    private static void Completed(RedemptionView? view, DayTotals totals, Action<RedemptionView>? each)
    {
        if (view is null)
        {
            return;
        }

        totals.Add(view);
        each?.Invoke(view);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type> EventTypes = new(StringComparer.Ordinal);

    private static Type EventType(string dotnetType) => EventTypes.GetOrAdd(dotnetType, name =>
        Type.GetType(name) ?? throw new InvalidOperationException($"the ledger holds events of an unknown type {name}"));
}

/// <summary>Sums a day's redemptions per provider, merchant and currency as they are added; the net amount is what was redeemed and stands.</summary>
public sealed class DayTotals
{
    private readonly Dictionary<(string Provider, string Merchant, string Currency), Dictionary<TransactionStatus, (long Count, Int128 Amount)>> _groups = [];

    public void Add(RedemptionView view)
    {
        if (view.Status == TransactionStatus.ReversedBeforeRequest)
        {
            return;
        }

        var key = (view.ProviderId ?? "", view.MerchantId ?? "", view.Currency ?? "");
        if (!_groups.TryGetValue(key, out var group))
        {
            _groups[key] = group = [];
        }

        var (count, amount) = group.GetValueOrDefault(view.Status);
        group[view.Status] = (count + 1, amount + BusinessDays.Amount(view));
    }

    public IReadOnlyList<DayTotal> Result() => _groups
        .OrderBy(g => g.Key.Provider, StringComparer.Ordinal).ThenBy(g => g.Key.Merchant, StringComparer.Ordinal)
        .ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
        .Select(g =>
        {
            long Count(TransactionStatus s) => g.Value.GetValueOrDefault(s).Count;
            Int128 Sum(TransactionStatus s) => g.Value.GetValueOrDefault(s).Amount;
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
}

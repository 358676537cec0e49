using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using EventLedger.Accounts;
using EventLedger.Operations;
using EventLedger.Redemptions;
using Marten;
using Wolverine.Http;

namespace EventLedger.Finance;

/// <summary>
/// One line of a provider's settlement file (CSV with this header, see docs/operations.md). The
/// request id is the provider's: the id the switch sent the request under (<c>UpstreamRequestId</c>).
/// </summary>
public sealed record SettlementLine(string RequestId, string? ProviderReference, long AmountMinor, string Currency, string Status);

/// <summary>How one line, or one redemption the file leaves out, compares with the ledger. Every result but <c>Matched</c> is a break.</summary>
public enum MatchResult
{
    Matched,

    /// <summary>The file lists a request the ledger does not hold for this provider and day.</summary>
    MissingAtSwitch,

    /// <summary>The ledger holds a redemption that stands (approved or confirmed) that the file leaves out.</summary>
    MissingAtProvider,

    /// <summary>Both say redeemed, for different amounts or currencies.</summary>
    AmountMismatch,

    /// <summary>One says redeemed, the other not (reversed, declined, never sent, unknown, in flight).</summary>
    StateMismatch,

    /// <summary>Both agree, but the file's provider reference is not the one the provider gave the switch.</summary>
    ReferenceMismatch,

    /// <summary>A second (or later) line for a request already listed: a double claim.</summary>
    Duplicate,

    /// <summary>
    /// The id names more than one redemption: only possible for redemptions from before upstream
    /// ids, which went to the provider under their originators' ids. Each of them is reported on its own too.
    /// </summary>
    Ambiguous,
}

/// <summary>
/// One row of the match report: both sides where they exist. <c>RequestId</c> is the provider's id;
/// <c>ClientId</c> and <c>OriginatorRequestId</c> name the redemption as the originator knows it.
/// </summary>
public sealed record MatchRow(
    MatchResult Result, string RequestId, string? ClientId, string? OriginatorRequestId, string? ProviderReference, string? SwitchStatus,
    string? ProviderStatus, long? SwitchAmountMinor, long? ProviderAmountMinor, string? Currency, int? Line);

public sealed record MatchReport(string Provider, string Day, int Matched, int Breaks, IReadOnlyList<MatchRow> Rows);

/// <summary>Recorded in <c>settlement-{provider}-{day}</c> each time finance matches a provider's file: who, when, and what came of it.</summary>
public sealed record SettlementFileMatched(string Provider, string Day, string OperatorId, int Lines, int Matched, int Breaks, DateTimeOffset At);

/// <summary>
/// The latest match of a provider's file for a day, kept so finance can read, filter and download its
/// breaks again: the breaks only (matched rows are the bulk and say nothing), at most <see cref="MaxBreaksKept"/>.
/// </summary>
public sealed class SettlementReport
{
    public const int MaxBreaksKept = 10_000;

    /// <summary><c>{provider}:{day}</c>.</summary>
    public string Id { get; set; } = "";
    public string Provider { get; set; } = "";
    public string Day { get; set; } = "";
    public string MatchedBy { get; set; } = "";
    public DateTimeOffset MatchedAt { get; set; }
    public int Lines { get; set; }
    public int Matched { get; set; }
    public int Breaks { get; set; }
    public List<MatchRow> BreakRows { get; set; } = [];

    public static string IdFor(string provider, string day) => $"{provider}:{day}";
}

/// <summary>Matches a provider's settlement file for a day against the switch's own record of it.</summary>
public static class SettlementMatch
{
    public const string Redeemed = "REDEEMED";
    public const string Reversed = "REVERSED";

    /// <summary>Longest provider id matched against: providers' institution ids are short.</summary>
    public const int MaxProviderLength = 64;

    [WolverinePost("/ops/v1/finance/days/{day}/settlements/{provider}", OperationId = "matchSettlement")]
    public static async Task<IResult> Post(
        string day, string provider, HttpContext context, BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time)
    {
        if (!BusinessDays.TryParseDay(day, out var date))
        {
            return Results.Problem(DayEndpoints.BadDay, statusCode: 400);
        }

        var account = context.Account<OperatorAccount>();
        if (!account.Can(OperatorRole.Finance))
        {
            return Results.Problem("matching settlement files takes the Finance role", statusCode: 403);
        }

        try
        {
            var report = await MatchAsync(
                date, provider, context.Request.Body, context.Request.ContentLength, account.Id, days, options, store, time.GetUtcNow(), context.RequestAborted);
            return DayEndpoints.WantsCsv(context) ? DayEndpoints.Csv(report.Rows) : Results.Json(report, AdviceOperations.Json);
        }
        catch (DayUnavailableException ex)
        {
            return ex.ToProblem();
        }
    }

    /// <summary>
    /// Reads a provider's settlement file for the day, matches it, and records who matched it and its
    /// breaks; a file or day that cannot be matched throws <see cref="DayUnavailableException"/>.
    /// </summary>
    public static async Task<MatchReport> MatchAsync(
        DateOnly date, string provider, Stream file, long? length, string operatorId, BusinessDays days, FinanceOptions options, IDocumentStore store,
        DateTimeOffset now, CancellationToken ct)
    {
        if (provider.Length is 0 or > MaxProviderLength)
        {
            throw new DayUnavailableException(400, $"the provider id must be 1..{MaxProviderLength} characters");
        }

        if (length > options.MaxSettlementFileBytes)
        {
            throw new DayUnavailableException(413, $"the file may be at most {options.MaxSettlementFileBytes} bytes");
        }

        IReadOnlyList<SettlementLine> lines;
        try
        {
            lines = await ReadAsync(file, options.MaxSettlementFileBytes, ct);
        }
        catch (Exception ex) when (ex is CsvHelperException or InvalidDataException)
        {
            throw new DayUnavailableException(400, "the settlement file is not valid: " + ex.Message.Split('\n')[0]);
        }

        var views = await days.RedemptionsAsync(date, provider, now, ct);
        var report = Match(provider, DayEndpoints.Day(date), views, lines);
        await RecordAsync(report, lines.Count, operatorId, store, now, ct);
        return report;
    }

    private static async Task RecordAsync(MatchReport report, int lines, string operatorId, IDocumentStore store, DateTimeOffset now, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Events.Append($"settlement-{report.Provider}-{report.Day}",
            new SettlementFileMatched(report.Provider, report.Day, operatorId, lines, report.Matched, report.Breaks, now));
        session.Store(new SettlementReport
        {
            Id = SettlementReport.IdFor(report.Provider, report.Day), Provider = report.Provider, Day = report.Day, MatchedBy = operatorId,
            MatchedAt = now, Lines = lines, Matched = report.Matched, Breaks = report.Breaks,
            BreakRows = [.. report.Rows.Where(r => r.Result != MatchResult.Matched).Take(SettlementReport.MaxBreaksKept)],
        });
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Every line and every redemption that stands lands in exactly one row. Request ids compare
    /// case-blind (they are UUIDs); a request listed more than once is matched on its first line
    /// and a <see cref="MatchResult.Duplicate"/> on every other.
    /// </summary>
    public static MatchReport Match(string provider, string day, IReadOnlyList<RedemptionView> views, IReadOnlyList<SettlementLine> lines)
    {
        var byRequest = views.ToLookup(v => Key(v.UpstreamRequestId ?? v.RequestId), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<MatchRow>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var number = i + 2; // the header is line 1
            var key = Key(line.RequestId);
            var candidates = byRequest[key].ToList();
            var view = candidates.Count == 1 ? candidates[0] : null;
            if (!seen.Add(key))
            {
                rows.Add(Row(MatchResult.Duplicate, view, line, number));
                continue;
            }

            rows.Add(candidates.Count > 1 ? Row(MatchResult.Ambiguous, null, line, number)
                : Row(view is null ? MatchResult.MissingAtSwitch : Compare(view, line), view, line, number));
        }

        // Redemptions an ambiguous line may mean are not taken as listed: each stands on its own row.
        var ambiguous = byRequest.Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var view in views.Where(v => Stands(v)))
        {
            var key = Key(view);
            if (ambiguous.Contains(key))
            {
                rows.Add(Row(MatchResult.Ambiguous, view, null, null));
            }
            else if (!seen.Contains(key))
            {
                rows.Add(Row(MatchResult.MissingAtProvider, view, null, null));
            }
        }

        var matched = rows.Count(r => r.Result == MatchResult.Matched);
        return new MatchReport(provider, day, matched, rows.Count - matched, rows);
    }

    /// <summary>Whether the ledger says the voucher stays redeemed: what a provider's file must list as <c>REDEEMED</c>.</summary>
    public static bool Stands(RedemptionView view) => view.Status is TransactionStatus.Approved or TransactionStatus.Confirmed;

    private static MatchResult Compare(RedemptionView view, SettlementLine line)
    {
        var agrees = line.Status == Redeemed ? Stands(view) : view.Status == TransactionStatus.Reversed;
        if (!agrees)
        {
            return MatchResult.StateMismatch;
        }

        if (line.Status == Redeemed && (BusinessDays.Amount(view) != line.AmountMinor || view.Currency != line.Currency))
        {
            return MatchResult.AmountMismatch;
        }

        return !string.IsNullOrEmpty(line.ProviderReference) && view.ProviderReference is { } reference && reference != line.ProviderReference
            ? MatchResult.ReferenceMismatch
            : MatchResult.Matched;
    }

    private static MatchRow Row(MatchResult result, RedemptionView? view, SettlementLine? line, int? number) => new(
        result, line?.RequestId ?? view!.UpstreamRequestId ?? view!.RequestId, view?.ClientId, view?.RequestId,
        line?.ProviderReference ?? view?.ProviderReference, view?.Status.ToString(), line?.Status,
        view is null ? null : BusinessDays.Amount(view), line?.AmountMinor, view?.Currency ?? line?.Currency, number);

    private static string Key(string requestId) => requestId.Trim().ToLowerInvariant();

    private static string Key(RedemptionView v) => Key(v.UpstreamRequestId ?? v.RequestId);

    public static async Task<IReadOnlyList<SettlementLine>> ReadAsync(Stream body, int maxBytes, CancellationToken ct)
    {
        // Read no further than the limit: a body without a length could otherwise be anything.
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InvalidDataException($"the file may be at most {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw new InvalidDataException("the file is empty: it needs at least its header line");
        }

        buffer.Position = 0;
        using var text = new StreamReader(buffer);
        using var csv = new CsvReader(text, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        });
        var lines = new List<SettlementLine>();
        await foreach (var line in csv.GetRecordsAsync<SettlementLine>(ct))
        {
            var number = lines.Count + 2;
            if (line.Status is not (Redeemed or Reversed))
            {
                throw new InvalidDataException($"line {number}: status must be {Redeemed} or {Reversed}");
            }

            if (string.IsNullOrWhiteSpace(line.RequestId) || line.AmountMinor < 0 || !Suv.Validation.Patterns.Currency().IsMatch(line.Currency ?? ""))
            {
                throw new InvalidDataException($"line {number}: requestId is required, amountMinor must be 0 or more, currency 3 digits (ISO 4217)");
            }

            lines.Add(line);
        }

        return lines;
    }
}

using System.Globalization;
using CsvHelper;
using EventLedger.Accounts;
using EventLedger.Operations;
using Marten;
using Wolverine.Http;

namespace EventLedger.Finance;

/// <summary>A business day frozen by finance: the totals as they were, and the hash of the events behind them.</summary>
public sealed class ClosedDay
{
    /// <summary>The day, yyyy-MM-dd, in <see cref="TimeZone"/>.</summary>
    public string Id { get; set; } = "";
    public string TimeZone { get; set; } = "";
    public List<DayTotal> Totals { get; set; } = [];

    /// <summary>The hash of exactly the events the totals were computed from.</summary>
    public string EventsHash { get; set; } = "";
    public int EventCount { get; set; }
    public long LastSequence { get; set; }
    public string ClosedBy { get; set; } = "";
    public DateTimeOffset ClosedAt { get; set; }
}

/// <summary>Recorded in the day's own stream (<c>business-day-{day}</c>) when finance closes it.</summary>
public sealed record BusinessDayClosed(string Day, string TimeZone, string EventsHash, int EventCount, long LastSequence, string OperatorId, DateTimeOffset At);

/// <summary>What finance reads for a day: its totals, frozen if closed, with anything that changed since.</summary>
public sealed record DayReport(
    string Day, string TimeZone, bool Closed, IReadOnlyList<DayTotal> Totals, string EventsHash, int EventCount,
    ClosedDay? ClosedAs, IReadOnlyList<DayTotal>? CurrentTotals, bool ChangedSinceClose);

/// <summary>A close finance asked for: the day as frozen, or why it was not closed (409: already closed, or not over yet).</summary>
public sealed record CloseResult(ClosedDay? Closed, int Status, string? Refusal);

public static class DayEndpoints
{
    public const string BadDay = "day must be yyyy-MM-dd, from 2000-01-01 to 9998-12-31";

    [WolverineGet("/ops/v1/finance/days/{day}", OperationId = "dayTotals")]
    public static async Task<IResult> Totals(
        string day, HttpContext context, BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time)
    {
        if (!BusinessDays.TryParseDay(day, out var date))
        {
            return Results.Problem(BadDay, statusCode: 400);
        }

        try
        {
            var report = await ReportAsync(date, days, options, store, time.GetUtcNow(), context.RequestAborted);
            return WantsCsv(context) ? Csv(report.Totals) : Results.Json(report, AdviceOperations.Json);
        }
        catch (DayUnavailableException ex)
        {
            return ex.ToProblem();
        }
    }

    /// <summary>The day's totals, frozen if it was closed, with what changed since; throws <see cref="DayUnavailableException"/>.</summary>
    public static async Task<DayReport> ReportAsync(
        DateOnly date, BusinessDays days, FinanceOptions options, IDocumentStore store, DateTimeOffset now, CancellationToken ct)
    {
        var day = Day(date);
        var current = await days.ReadReportAsync(date, null, now, ct);
        await using var session = store.QuerySession();
        var closed = await session.LoadAsync<ClosedDay>(day, ct);
        return closed is null
            ? new DayReport(day, options.TimeZone, false, current.Totals, current.EventsHash, current.EventCount, null, null, false)
            // A closed day keeps its frozen totals; a late change shows beside them, never in place
            // of them. Any change to any event of the day's redemptions, or a redemption added to
            // it, changes the hash.
            : new DayReport(day, closed.TimeZone, true, closed.Totals, closed.EventsHash, closed.EventCount, closed,
                current.Totals, current.EventsHash != closed.EventsHash);
    }

    [WolverinePost("/ops/v1/finance/days/{day}/close", OperationId = "closeDay")]
    public static async Task<IResult> Close(string day, HttpContext context, BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time)
    {
        if (!BusinessDays.TryParseDay(day, out var date))
        {
            return Results.Problem(BadDay, statusCode: 400);
        }

        var account = context.Account<OperatorAccount>();
        if (!account.Can(OperatorRole.Finance))
        {
            return Results.Problem("closing a day takes the Finance role", statusCode: 403);
        }

        try
        {
            var result = await CloseAsync(date, account.Id, days, options, store, time.GetUtcNow(), context.RequestAborted);
            return result.Closed is { } closed
                ? Results.Json(closed, AdviceOperations.Json, statusCode: 201)
                : Results.Problem(result.Refusal, statusCode: result.Status);
        }
        catch (DayUnavailableException ex)
        {
            return ex.ToProblem();
        }
    }

    /// <summary>Freezes the day's totals with the hash of the events behind them, once; throws <see cref="DayUnavailableException"/>.</summary>
    public static async Task<CloseResult> CloseAsync(
        DateOnly date, string operatorId, BusinessDays days, FinanceOptions options, IDocumentStore store, DateTimeOffset now, CancellationToken ct)
    {
        var day = Day(date);
        if (days.Bounds(date).To + BusinessDays.SettlingMargin > now)
        {
            return new CloseResult(null, 409,
                $"a day can only be closed once it has ended and {BusinessDays.SettlingMargin.TotalMinutes:0} minute has passed for its last requests to commit");
        }

        var frozen = await days.ReadReportAsync(date, null, now, ct);
        var closed = new ClosedDay
        {
            Id = day, TimeZone = options.TimeZone, Totals = [.. frozen.Totals], EventsHash = frozen.EventsHash, EventCount = frozen.EventCount,
            LastSequence = frozen.LastSequence, ClosedBy = operatorId, ClosedAt = now,
        };
        await using var session = store.LightweightSession();
        // Starting the day's stream is the lock: a day is closed once, however many try at once.
        session.Events.StartStream($"business-day-{day}", new BusinessDayClosed(day, closed.TimeZone, closed.EventsHash, closed.EventCount, closed.LastSequence, closed.ClosedBy, now));
        session.Insert(closed);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (ex is JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.DocumentAlreadyExistsException || ex.InnerException is JasperFx.DocumentAlreadyExistsException)
        {
            return new CloseResult(null, 409, $"{day} is already closed");
        }

        return new CloseResult(closed, 201, null);
    }

    /// <summary>The closed days, newest first, at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<ClosedDay>> ClosedDaysAsync(IDocumentStore store, int limit, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.Query<ClosedDay>().OrderByDescending(d => d.Id).Take(limit).ToListAsync(ct);
    }

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool WantsCsv(HttpContext context) =>
        context.Request.Query["format"] == "csv" || context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);

    public static IResult Csv<T>(IEnumerable<T> rows) => Results.Bytes(CsvBytes(rows), "text/csv; charset=utf-8");

    /// <summary>Rows as UTF-8 CSV with a header, fields a spreadsheet would run as a formula escaped.</summary>
    public static byte[] CsvBytes<T>(IEnumerable<T> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // Fields that a spreadsheet would run as a formula (=, @, +, - first; a merchant id is the
        // originator's text) are escaped with a leading quote.
        using (var csv = new CsvWriter(text, new CsvHelper.Configuration.CsvConfiguration(CultureInfo.InvariantCulture)
               {
                   InjectionOptions = CsvHelper.Configuration.InjectionOptions.Escape,
               }))
        {
            // CsvHelper knows no Int128 (the totals' sums) and would leave those columns out.
            csv.Context.TypeConverterCache.AddConverter<Int128>(new Int128Text());
            csv.WriteRecords(rows);
        }

        return System.Text.Encoding.UTF8.GetBytes(text.ToString());
    }

    private sealed class Int128Text : CsvHelper.TypeConversion.DefaultTypeConverter
    {
        public override string? ConvertToString(object? value, CsvHelper.IWriterRow row, CsvHelper.Configuration.MemberMapData memberMapData) =>
            value is Int128 number ? number.ToString(CultureInfo.InvariantCulture) : base.ConvertToString(value, row, memberMapData);
    }
}

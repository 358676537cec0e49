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

public static class DayEndpoints
{
    [WolverineGet("/ops/v1/finance/days/{day}", OperationId = "dayTotals")]
    public static async Task<IResult> Totals(
        string day, HttpContext context, BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time)
    {
        if (!BusinessDays.TryParseDay(day, out var date))
        {
            return Results.Problem("day must be yyyy-MM-dd, from 2000-01-01 to 9998-12-31", statusCode: 400);
        }

        DayLedger current;
        try
        {
            current = await days.ReadReportAsync(date, null, time.GetUtcNow(), context.RequestAborted);
        }
        catch (DayUnavailableException ex)
        {
            return ex.ToProblem();
        }

        await using var session = store.QuerySession();
        var closed = await session.LoadAsync<ClosedDay>(day, context.RequestAborted);
        var report = closed is null
            ? new DayReport(day, options.TimeZone, false, current.Totals, current.EventsHash, current.EventCount, null, null, false)
            // A closed day keeps its frozen totals; a late change shows beside them, never in place
            // of them. Any change to any event of the day's redemptions, or a redemption added to
            // it, changes the hash.
            : new DayReport(day, closed.TimeZone, true, closed.Totals, closed.EventsHash, closed.EventCount, closed,
                current.Totals, current.EventsHash != closed.EventsHash);
        return WantsCsv(context) ? Csv(report.Totals) : Results.Json(report, AdviceOperations.Json);
    }

    [WolverinePost("/ops/v1/finance/days/{day}/close", OperationId = "closeDay")]
    public static async Task<IResult> Close(string day, HttpContext context, BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time)
    {
        if (!BusinessDays.TryParseDay(day, out var date))
        {
            return Results.Problem("day must be yyyy-MM-dd, from 2000-01-01 to 9998-12-31", statusCode: 400);
        }

        var now = time.GetUtcNow();
        if (days.Bounds(date).To + BusinessDays.SettlingMargin > now)
        {
            return Results.Problem(
                $"a day can only be closed once it has ended and {BusinessDays.SettlingMargin.TotalMinutes:0} minute has passed for its last requests to commit",
                statusCode: 409);
        }

        DayLedger frozen;
        try
        {
            frozen = await days.ReadReportAsync(date, null, now, context.RequestAborted);
        }
        catch (DayUnavailableException ex)
        {
            return ex.ToProblem();
        }

        var closed = new ClosedDay
        {
            Id = day, TimeZone = options.TimeZone, Totals = [.. frozen.Totals], EventsHash = frozen.EventsHash, EventCount = frozen.EventCount,
            LastSequence = frozen.LastSequence, ClosedBy = context.Account<OperatorAccount>().Id, ClosedAt = now,
        };
        await using var session = store.LightweightSession();
        // Starting the day's stream is the lock: a day is closed once, however many try at once.
        session.Events.StartStream($"business-day-{day}", new BusinessDayClosed(day, closed.TimeZone, closed.EventsHash, closed.EventCount, closed.LastSequence, closed.ClosedBy, now));
        session.Insert(closed);
        try
        {
            await session.SaveChangesAsync(context.RequestAborted);
        }
        catch (Exception ex) when (ex is JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.DocumentAlreadyExistsException || ex.InnerException is JasperFx.DocumentAlreadyExistsException)
        {
            return Results.Problem($"{day} is already closed", statusCode: 409);
        }

        return Results.Json(closed, AdviceOperations.Json, statusCode: 201);
    }

    public static bool WantsCsv(HttpContext context) =>
        context.Request.Query["format"] == "csv" || context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);

    public static IResult Csv<T>(IEnumerable<T> rows)
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

        return Results.Text(text.ToString(), "text/csv", System.Text.Encoding.UTF8);
    }

    private sealed class Int128Text : CsvHelper.TypeConversion.DefaultTypeConverter
    {
        public override string? ConvertToString(object? value, CsvHelper.IWriterRow row, CsvHelper.Configuration.MemberMapData memberMapData) =>
            value is Int128 number ? number.ToString(CultureInfo.InvariantCulture) : base.ConvertToString(value, row, memberMapData);
    }
}

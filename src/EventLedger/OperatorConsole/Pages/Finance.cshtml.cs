using EventLedger.Finance;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

public sealed class FinanceModel(BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time) : PageModel
{
    /// <summary>Closed days listed, newest first.</summary>
    public const int ClosedDaysShown = 31;

    /// <summary>Settlement matches listed for a day: one per provider.</summary>
    public const int ProvidersShown = 200;

    [BindProperty(SupportsGet = true)]
    public string Day { get; set; } = "";

    public string TimeZone => options.TimeZone;

    public DayReport? Report { get; private set; }

    public IReadOnlyList<Bar> ByStatus { get; private set; } = [];

    public IReadOnlyList<ClosedDay> ClosedDays { get; private set; } = [];

    public IReadOnlyList<SettlementReport> Settlements { get; private set; } = [];

    public string? Error { get; private set; }

    /// <summary>When the day may be closed: once it has ended and its last requests have had time to commit.</summary>
    public DateTimeOffset? ClosableFrom { get; private set; }

    public bool Closable => ClosableFrom <= time.GetUtcNow();

    public async Task OnGetAsync()
    {
        ClosedDays = await DayEndpoints.ClosedDaysAsync(store, ClosedDaysShown, HttpContext.RequestAborted);
        if (!TryDay(out var date))
        {
            return;
        }

        await using (var session = store.QuerySession())
        {
            // The summaries only: a report's breaks (up to 10 000 rows) are read on its own page.
            Settlements = await session.Query<SettlementReport>().Where(s => s.Day == Day).OrderBy(s => s.Provider).Take(ProvidersShown)
                .Select(s => new SettlementReport
                {
                    Id = s.Id, Provider = s.Provider, Day = s.Day, MatchedBy = s.MatchedBy, MatchedAt = s.MatchedAt, Lines = s.Lines, Matched = s.Matched,
                    Breaks = s.Breaks,
                })
                .ToListAsync(HttpContext.RequestAborted);
        }

        ClosableFrom = days.Bounds(date).To + BusinessDays.SettlingMargin;
        try
        {
            Report = await DayEndpoints.ReportAsync(date, days, options, store, time.GetUtcNow(), HttpContext.RequestAborted);
            var totals = Report.ChangedSinceClose && Report.CurrentTotals is { } now ? now : Report.Totals;
            ByStatus =
            [
                new("Approved", totals.Sum(t => t.Approved)), new("Confirmed", totals.Sum(t => t.Confirmed)), new("Reversed", totals.Sum(t => t.Reversed)),
                new("Declined", totals.Sum(t => t.Declined)), new("Unknown", totals.Sum(t => t.Unknown)), new("Open", totals.Sum(t => t.Open)),
                new("Not sent", totals.Sum(t => t.NotSent)),
            ];
        }
        catch (DayUnavailableException ex)
        {
            Error = ex.Message;
            Response.StatusCode = ex.Status;
        }
    }

    /// <summary>The day's totals as CSV, the same file the API gives.</summary>
    public async Task<IActionResult> OnGetCsvAsync()
    {
        if (!TryDay(out var date))
        {
            return BadRequest(DayEndpoints.BadDay);
        }

        try
        {
            var report = await DayEndpoints.ReportAsync(date, days, options, store, time.GetUtcNow(), HttpContext.RequestAborted);
            return File(DayEndpoints.CsvBytes(report.Totals), "text/csv", $"totals-{Day}.csv");
        }
        catch (DayUnavailableException ex)
        {
            return StatusCode(ex.Status, ex.Message);
        }
    }

    private bool TryDay(out DateOnly date)
    {
        if (Day.Length == 0)
        {
            Day = DayEndpoints.Day(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), options.Zone()).DateTime));
        }

        if (BusinessDays.TryParseDay(Day, out date))
        {
            return true;
        }

        Error = DayEndpoints.BadDay;
        Response.StatusCode = 400;
        return false;
    }
}

using EventLedger.Finance;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>Closing a day: a confirmation page (GET), the close itself only on its post, as the API closes.</summary>
[Authorize(Policy = ConsoleAccess.Finance)]
public sealed class CloseDayModel(BusinessDays days, FinanceOptions options, IDocumentStore store, TimeProvider time, ILogger<CloseDayModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Day { get; set; } = "";

    public string? Outcome { get; private set; }

    public bool Closed { get; private set; }

    public IActionResult OnGet() => BusinessDays.TryParseDay(Day, out _) ? Page() : BadRequest(DayEndpoints.BadDay);

    public async Task<IActionResult> OnPostAsync()
    {
        if (!BusinessDays.TryParseDay(Day, out var date))
        {
            return BadRequest(DayEndpoints.BadDay);
        }

        try
        {
            var result = await DayEndpoints.CloseAsync(date, User.OperatorId(), days, options, store, time.GetUtcNow(), HttpContext.RequestAborted);
            Closed = result.Closed is not null;
            Outcome = result.Closed is { } closed
                ? $"{Day} is closed: {closed.EventCount} events, hash {closed.EventsHash[..Math.Min(16, closed.EventsHash.Length)]}…"
                : "Not closed: " + result.Refusal + ".";
            Response.StatusCode = result.Status == 201 ? 200 : result.Status;
            if (Closed)
            {
                logger.LogInformation("Operator {OperatorId} closed business day {Day}", User.OperatorId(), Day);
            }
        }
        catch (DayUnavailableException ex)
        {
            Outcome = "Not closed: " + ex.Message + ".";
            Response.StatusCode = ex.Status;
        }

        return Page();
    }
}

using EventLedger.Finance;
using EventLedger.Operations;
using EventLedger.Providers;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>
/// A provider's settlement file and its breaks: every role reads the latest match; uploading a file
/// (matching it, and recording who did) is for Finance. The match is the API's, kept for reading again.
/// </summary>
public sealed class SettlementModel(
    BusinessDays days, FinanceOptions options, IDocumentStore store, ProviderDirectory providers, TimeProvider time, ILogger<SettlementModel> logger)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Day { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string Provider { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public MatchResult? Result { get; set; }

    public int MaxBytes => options.MaxSettlementFileBytes;

    /// <summary>The configured providers, the only ones a file is matched for here.</summary>
    public IReadOnlyList<string> Providers => [.. providers.All.Select(p => p.InstitutionId).Order(StringComparer.Ordinal)];

    public SettlementReport? Report { get; private set; }

    public IReadOnlyList<MatchRow> Rows => Report?.BreakRows.Where(r => Result is null || r.Result == Result).ToList() ?? [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!BusinessDays.TryParseDay(Day, out _))
        {
            return BadRequest(DayEndpoints.BadDay);
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync()
    {
        await LoadAsync();
        return Report is null ? NotFound() : File(DayEndpoints.CsvBytes(Rows), "text/csv", $"breaks-{Provider}-{Day}.csv");
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file)
    {
        if (!BusinessDays.TryParseDay(Day, out var date))
        {
            return BadRequest(DayEndpoints.BadDay);
        }

        if (!User.Can(OperatorRole.Finance))
        {
            return Forbid();
        }

        if (providers.ByInstitution(Provider) is null)
        {
            Error = "Choose one of the configured providers.";
            Response.StatusCode = 400;
            return Page();
        }

        if (file is null)
        {
            Error = "Choose the provider's settlement file.";
            Response.StatusCode = 400;
            return Page();
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var report = await SettlementMatch.MatchAsync(
                date, Provider, stream, file.Length, User.OperatorId(), days, options, store, time.GetUtcNow(), HttpContext.RequestAborted);
            logger.LogInformation("Operator {OperatorId} matched {Provider}'s settlement file for {Day}: {Matched} matched, {Breaks} breaks",
                User.OperatorId(), Provider, Day, report.Matched, report.Breaks);
        }
        catch (DayUnavailableException ex)
        {
            Error = ex.Message;
            Response.StatusCode = ex.Status;
            await LoadAsync(); // the match made before, if any, still stands
            return Page();
        }

        // To the report's own address: reloading it reads the match again rather than making another.
        return LocalRedirect($"{ConsoleOptions.BasePath}/finance/settlement?day={Day}&provider={Uri.EscapeDataString(Provider)}");
    }

    private async Task LoadAsync()
    {
        if (Provider.Length == 0)
        {
            return;
        }

        await using var session = store.QuerySession();
        Report = await session.LoadAsync<SettlementReport>(SettlementReport.IdFor(Provider, Day), HttpContext.RequestAborted);
    }
}

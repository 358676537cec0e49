using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

public sealed class IndexModel(Overview overview, ConsoleOptions options) : PageModel
{
    public OverviewData Data { get; private set; } = null!;

    public int RefreshSeconds => options.RefreshSeconds;

    public int ChartHours => options.ChartHours;

    public async Task OnGetAsync() => Data = await overview.ReadAsync(HttpContext.RequestAborted);
}

using EventLedger.Operations;
using EventLedger.StoreAndForward;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

public sealed class AdvicesModel(IDocumentStore store, TimeProvider time) : PageModel
{
    /// <summary>The statuses an operator looks at: those still waiting for something.</summary>
    public static readonly DeliveryStatus[] Shown = [DeliveryStatus.Pending, DeliveryStatus.Held, DeliveryStatus.Refused];

    [BindProperty(SupportsGet = true)]
    public string Provider { get; set; } = "";

    public DeliveryStatus Status { get; private set; } = DeliveryStatus.Pending;

    public IReadOnlyList<AdviceView> Advices { get; private set; } = [];

    public string? Error { get; private set; }

    public bool CanAct => User.Can(OperatorRole.Operator);

    /// <summary>What an operator may do with a delivery in this status, if anything.</summary>
    public static AdviceActionKind? ActionFor(DeliveryStatus status) =>
        status == AdviceAction.Requires(AdviceActionKind.Retry) ? AdviceActionKind.Retry
        : status == AdviceAction.Requires(AdviceActionKind.Resend) ? AdviceActionKind.Resend
        : null;

    public async Task OnGetAsync([FromQuery(Name = "status")] string? status)
    {
        if (status is { Length: > 0 } && (!Enum.TryParse(status, ignoreCase: true, out DeliveryStatus parsed) || !Shown.Contains(parsed)))
        {
            Error = $"Status must be one of {string.Join(", ", Shown)}.";
            Response.StatusCode = 400;
            return;
        }

        Status = status is { Length: > 0 } ? Enum.Parse<DeliveryStatus>(status, ignoreCase: true) : DeliveryStatus.Pending;
        Provider = Provider.Trim();
        await using var session = store.QuerySession();
        Advices = await AdviceOperations.ListAsync(session, Status, Provider, AdviceOperations.MaxPageSize, time.GetUtcNow(), HttpContext.RequestAborted);
    }
}

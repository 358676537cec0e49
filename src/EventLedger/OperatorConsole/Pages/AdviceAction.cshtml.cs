using EventLedger.Operations;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>An operator's retry or resend: shown first (GET), taken only on the confirming post, decided like the API's.</summary>
[Authorize(Policy = ConsoleAccess.Operator)]
public sealed class AdviceActionModel(IDocumentStore store, RedemptionLedger ledger, Forwarding forwarding, TimeProvider time, ILogger<AdviceActionModel> logger)
    : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public AdviceActionKind Kind { get; set; }

    public AdviceView? Delivery { get; private set; }

    public string? Outcome { get; private set; }

    public bool Succeeded { get; private set; }

    public async Task OnGetAsync()
    {
        await using var session = store.QuerySession();
        var delivery = await session.LoadAsync<ProviderDelivery>(Id, HttpContext.RequestAborted);
        Delivery = delivery is null ? null : AdviceOperations.View(delivery, time.GetUtcNow());
        if (Delivery is null)
        {
            Response.StatusCode = 404;
        }
    }

    public async Task OnPostAsync()
    {
        var operatorId = User.OperatorId();
        var (decision, delivery) = await AdviceOperations.TakeAsync(Id, Kind, operatorId, store, ledger, forwarding, time, HttpContext.RequestAborted);
        Delivery = delivery;
        switch (decision)
        {
            case AdviceActionDecision.Requeue:
                Succeeded = true;
                Outcome = Kind == AdviceActionKind.Retry ? "Queued: the advice is being tried now." : "Queued: the advice is being sent again.";
                logger.LogInformation("Operator {OperatorId}: {Action} of advice {AdviceId} to {Provider}", operatorId, Kind, delivery!.AdviceId, delivery.ProviderId);
                break;
            case AdviceActionDecision.Conflict conflict:
                Outcome = "Not done: " + conflict.Reason + ".";
                Response.StatusCode = 409;
                break;
            default:
                Response.StatusCode = 404;
                break;
        }
    }
}

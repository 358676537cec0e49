using System.Text.Json;
using EventLedger.Finance;
using EventLedger.Operations;
using EventLedger.Redemptions;
using Marten;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>One redemption's timeline: its view, every event, every delivery with its attempts, and who acted on it.</summary>
public sealed class TransactionModel(IDocumentStore store, TimeProvider time) : PageModel
{
    private static readonly JsonSerializerOptions Indented = new(AdviceOperations.Json) { WriteIndented = true };

    public string ClientId { get; private set; } = "";

    public string RequestId { get; private set; } = "";

    public Timeline? Timeline { get; private set; }

    public async Task OnGetAsync(string clientId, string requestId)
    {
        ClientId = clientId;
        RequestId = requestId;
        await using var session = store.QuerySession();
        Timeline = await Audit.TimelineAsync(session, Redemption.StreamKey(clientId, requestId), time.GetUtcNow(), HttpContext.RequestAborted);
        if (Timeline is null)
        {
            Response.StatusCode = 404;
        }
    }

    /// <summary>Who caused an event, where it says: an operator's action names the operator.</summary>
    public static string Actor(object data) => data switch
    {
        AdviceRetryRequested r => "operator " + r.OperatorId,
        AdviceResendRequested r => "operator " + r.OperatorId,
        BusinessDayClosed c => "operator " + c.OperatorId,
        RedemptionRequested or RedemptionConfirmed or RedemptionReversed { Origin: ReversalOrigin.Originator } or ReversalReceivedBeforeRequest
            or AdviceRefused => "the originator",
        ProviderAdviceAcked { BySwitch: true } => "the switch",
        VoucherRedeemed or RedemptionDeclined or ProviderAdviceAcked or ProviderAdviceRefused => "the provider",
        _ => "the switch",
    };

    public static string Json(object data) => JsonSerializer.Serialize(data, data.GetType(), Indented);
}

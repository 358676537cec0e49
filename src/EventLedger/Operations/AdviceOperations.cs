using System.Text.Json;
using System.Text.Json.Serialization;
using EventLedger.Accounts;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using Marten;
using Wolverine.Http;

namespace EventLedger.Operations;

/// <summary>One advice on its way to a provider, as operators see it.</summary>
public sealed record AdviceView(
    string Id, string ProviderId, string ClientId, string RequestId, AdviceKind Kind, string AdviceId, DeliveryStatus Status,
    int Attempts, int? LastStatus, string? LastError, DateTimeOffset QueuedAt, DateTimeOffset? LastAttemptAt,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? FinishedAt, double AgeSeconds, IReadOnlyList<DeliveryAttempt> RecentAttempts);

/// <summary>
/// The operators' view of store-and-forward: what is pending or refused, per provider, and the two
/// actions they take on it. Every action is recorded in the redemption's stream with who took it.
/// </summary>
public static class AdviceOperations
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    [WolverineGet("/ops/v1/advices", OperationId = "listAdvices")]
    public static async Task<IResult> List(HttpContext context, IDocumentStore store, TimeProvider time)
    {
        var query = context.Request.Query;
        var status = DeliveryStatus.Pending;
        if (query.TryGetValue("status", out var statusText) && !Enum.TryParse(statusText.ToString(), ignoreCase: true, out status))
        {
            return Results.Problem($"status must be one of {string.Join(", ", Enum.GetNames<DeliveryStatus>())}", statusCode: 400);
        }

        var limit = DefaultPageSize;
        if (query.TryGetValue("limit", out var limitText) && (!int.TryParse(limitText, out limit) || limit is < 1 or > MaxPageSize))
        {
            return Results.Problem($"limit must be 1..{MaxPageSize}", statusCode: 400);
        }

        await using var session = store.QuerySession();
        var page = await ListAsync(session, status, query["provider"].ToString(), limit, time.GetUtcNow(), context.RequestAborted);
        return Results.Json(page, Json);
    }

    /// <summary>The oldest deliveries in this status first, of one provider or of all (<paramref name="provider"/> empty).</summary>
    public static async Task<IReadOnlyList<AdviceView>> ListAsync(
        IQuerySession session, DeliveryStatus status, string provider, int limit, DateTimeOffset now, CancellationToken ct)
    {
        var deliveries = session.Query<ProviderDelivery>().Where(d => d.Status == status);
        if (provider.Length > 0)
        {
            deliveries = deliveries.Where(d => d.ProviderId == provider);
        }

        var page = await deliveries.OrderBy(d => d.QueuedAt).Take(limit).ToListAsync(ct);
        return page.Select(d => View(d, now)).ToList();
    }

    /// <summary>Try a pending advice now rather than at its scheduled time.</summary>
    [WolverinePost("/ops/v1/advices/{id}/retry", OperationId = "retryAdvice")]
    public static Task<IResult> Retry(string id, HttpContext context, IDocumentStore store, RedemptionLedger ledger, Forwarding forwarding, TimeProvider time) =>
        ActAsync(id, AdviceActionKind.Retry, context, store, ledger, forwarding, time);

    /// <summary>Send again an advice the provider refused, once the cause is fixed with the provider.</summary>
    [WolverinePost("/ops/v1/advices/{id}/resend", OperationId = "resendAdvice")]
    public static Task<IResult> Resend(string id, HttpContext context, IDocumentStore store, RedemptionLedger ledger, Forwarding forwarding, TimeProvider time) =>
        ActAsync(id, AdviceActionKind.Resend, context, store, ledger, forwarding, time);

    private static async Task<IResult> ActAsync(
        string id, AdviceActionKind kind, HttpContext context, IDocumentStore store, RedemptionLedger ledger, Forwarding forwarding, TimeProvider time)
    {
        var account = context.Account<OperatorAccount>();
        if (!account.Can(OperatorRole.Operator))
        {
            return Results.Problem("retrying and resending advices takes the Operator role", statusCode: 403);
        }

        return await TakeAsync(id, kind, account.Id, store, ledger, forwarding, time, context.RequestAborted) switch
        {
            (AdviceActionDecision.Requeue, { } delivery) => Results.Json(delivery, Json, statusCode: 202),
            (AdviceActionDecision.Conflict conflict, _) => Results.Problem(conflict.Reason, statusCode: 409),
            _ => Results.Problem("no such advice delivery", statusCode: 404),
        };
    }

    /// <summary>
    /// Decides the action on the delivery as it stands under the redemption's lock, and records what
    /// it decided with who took it. No decision when there is no such delivery.
    /// </summary>
    public static async Task<(AdviceActionDecision? Decision, AdviceView? Delivery)> TakeAsync(
        string id, AdviceActionKind kind, string operatorId, IDocumentStore store, RedemptionLedger ledger, Forwarding forwarding, TimeProvider time,
        CancellationToken ct)
    {
        ProviderDelivery? delivery;
        await using (var query = store.QuerySession())
        {
            delivery = await query.LoadAsync<ProviderDelivery>(id, ct);
        }

        if (delivery is null)
        {
            return (null, null);
        }

        AdviceActionDecision? decision = null;
        // Through the ledger, so that a correction owed to the redemption is written first.
        await ledger.DecideAsync(delivery.StreamKey, _ => Decision.Only(true), CancellationToken.None, async write =>
        {
            var current = await write.Session.LoadAsync<ProviderDelivery>(id);
            decision = AdviceAction.Decide(current, kind, operatorId, write.Now);
            if (decision is AdviceActionDecision.Requeue requeue)
            {
                // The action and the attempt it queues commit together.
                AdviceAction.Apply(current!, requeue, write.Now);
                write.Session.Events.Append(current!.StreamKey, requeue.Event);
                write.Session.Store(current);
                await forwarding.DispatchAsync(write.Bus, current);
                delivery = current;
            }
        });

        return (decision ?? throw new InvalidOperationException("the action was not decided"), View(delivery, time.GetUtcNow()));
    }

    public static AdviceView View(ProviderDelivery d, DateTimeOffset now) => new(
        d.Id, d.ProviderId, d.ClientId, d.RequestId, d.Kind, d.AdviceId, d.Status, d.Attempts, d.LastStatus, d.LastError,
        d.QueuedAt, d.LastAttemptAt, d.NextAttemptAt, d.FinishedAt, ((d.FinishedAt ?? now) - d.QueuedAt).TotalSeconds, d.RecentAttempts);
}

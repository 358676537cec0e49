using EventLedger.Redemptions;
using EventLedger.StoreAndForward;

namespace EventLedger.Operations;

/// <summary>An operator's action on one advice delivery: try a pending one now, or send a refused one again.</summary>
public enum AdviceActionKind
{
    Retry,
    Resend,
}

/// <summary>What an operator's action comes to: refused with a reason, or the event to record and the generation to queue the delivery under.</summary>
public abstract record AdviceActionDecision
{
    private AdviceActionDecision()
    {
    }

    public sealed record Conflict(string Reason) : AdviceActionDecision;

    /// <param name="Generation">The delivery's new generation: attempts scheduled under older ones become stale.</param>
    public sealed record Requeue(object Event, int Generation) : AdviceActionDecision;
}

/// <summary>The operators' two actions as a decision like any other: a pure function of the delivery, the action and the time.</summary>
public static class AdviceAction
{
    public static DeliveryStatus Requires(AdviceActionKind kind) => kind == AdviceActionKind.Retry ? DeliveryStatus.Pending : DeliveryStatus.Refused;

    public static AdviceActionDecision Decide(ProviderDelivery? current, AdviceActionKind kind, string operatorId, DateTimeOffset now)
    {
        var required = Requires(kind);
        if (current is null || current.Status != required)
        {
            return new AdviceActionDecision.Conflict($"the advice is not {required.ToString().ToLowerInvariant()}");
        }

        if (current.ClaimedUntil > now)
        {
            return new AdviceActionDecision.Conflict("an attempt is being made right now; try again once it is over");
        }

        object recorded = kind == AdviceActionKind.Retry
            ? new AdviceRetryRequested(current.AdviceId, operatorId, now)
            : new AdviceResendRequested(current.AdviceId, operatorId, now);
        return new AdviceActionDecision.Requeue(recorded, current.Generation + 1);
    }

    /// <summary>The delivery queued again as decided: pending, due now, under the new generation.</summary>
    public static void Apply(ProviderDelivery delivery, AdviceActionDecision.Requeue requeue, DateTimeOffset now)
    {
        delivery.Status = DeliveryStatus.Pending;
        delivery.Generation = requeue.Generation;
        delivery.NextAttemptAt = now;
        delivery.ClaimedUntil = null;
        delivery.ClaimToken = null;
        delivery.FinishedAt = null;
    }
}

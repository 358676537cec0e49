namespace EventLedger.Redemptions;

/// <summary>
/// An advice the provider must now hear of, as data: which redemption, which advice, and the exact
/// message to send (under the switch's ids). The ledger hands these to <see cref="IAdviceOutbox"/>
/// in the transaction that records them, without knowing how they are delivered.
/// </summary>
public sealed record OutgoingAdvice(
    string StreamKey, string ClientId, string RequestId, string ProviderId, AdviceKind Kind, string AdviceId, string AdviceJson,
    string? VoucherCodeHash, string? VoucherPinHash);

/// <summary>Whatever delivers advices to providers (store-and-forward), as the ledger sees it.</summary>
public interface IAdviceOutbox
{
    /// <summary>Takes the advices within the ledger's transaction: they commit, or vanish, with the events that sent them.</summary>
    Task SendAsync(RedemptionWrite write, IReadOnlyList<OutgoingAdvice> advices);
}

/// <summary>
/// The advices a decision sends, read from its events. Derived rather than stated beside them, so
/// that no decision can record a forwarded advice and forget to send it: the events are the one
/// source (an event says <see cref="AdviceDelivery.Forward"/>, or the advice is not sent).
/// </summary>
public static class OutgoingAdvices
{
    /// <summary>The advices that must now reach the provider, given the state before these events.</summary>
    public static IEnumerable<(AdviceKind Kind, string AdviceId, string AdviceJson)> Due(Redemption? before, IReadOnlyList<object> events)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case RedemptionConfirmed { Delivery: AdviceDelivery.Forward } c:
                    yield return (AdviceKind.Confirmation, c.AdviceId, c.AdviceJson);
                    break;
                case RedemptionReversed { Delivery: AdviceDelivery.Forward } r:
                    yield return (AdviceKind.Reversal, r.AdviceId, r.AdviceJson);
                    break;
                case PendingReversalSettled { Delivery: AdviceDelivery.Forward } p:
                    yield return (AdviceKind.Reversal, p.AdviceId,
                        (before as Redemption.Requested)?.Reversal?.AdviceJson ?? throw new InvalidOperationException("a settled reversal without its advice"));
                    break;
            }
        }
    }

    public static IReadOnlyList<OutgoingAdvice> Of(string streamKey, Redemption? before, IReadOnlyList<object> events)
    {
        // The advice goes upstream with the identifiers of the state it leaves in (the response's,
        // when the approval that makes a reversal due is among these very events).
        var after = events.Aggregate(before, Redemption.Evolve);
        return Due(before, events).Select(due =>
        {
            // Forwarded advices only ever follow a request, so the stream and its provider exist.
            var redemption = after as Redemption.Requested ?? throw new InvalidOperationException("an advice to forward before its request");
            return new OutgoingAdvice(
                streamKey, redemption.ClientId, redemption.RequestId, redemption.ProviderId,
                due.Kind, due.AdviceId, UpstreamIds.AdviceJson(due.Kind, due.AdviceJson, redemption.ClientId, due.AdviceId, redemption),
                redemption.VoucherCodeHash, redemption.VoucherPinHash);
        }).ToList();
    }
}

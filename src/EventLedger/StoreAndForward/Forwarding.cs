using EventLedger.Providers;
using EventLedger.Redemptions;
using Marten;
using Wolverine;

namespace EventLedger.StoreAndForward;

/// <summary>
/// Turns decided events into deliveries: every advice the ledger marks <c>Forward</c> gets an
/// <see cref="ProviderDelivery"/> and a durable <see cref="ForwardAdvice"/> message, written in the
/// same transaction as the event (Wolverine's Marten outbox), so neither exists without the other.
/// An advice whose provider is no longer configured, or no longer takes advices of its kind, is
/// held instead: kept, shown to operators with the reason, and sent once the provider is back.
/// </summary>
public sealed class Forwarding(ProviderDirectory providers, Hosting.NodeIdentity node)
{
    public static string QueueName(string providerId) => "advices-" + providerId;

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
                        before?.ReversalJson ?? throw new InvalidOperationException("a settled reversal without its advice"));
                    break;
            }
        }
    }

    public async Task EnqueueAsync(
        IDocumentSession session, IMessageBus bus, string streamKey, Redemption? before, IReadOnlyList<object> events, DateTimeOffset now)
    {
        // The advice goes upstream with the identifiers of the state it leaves in (the response's,
        // when the approval that makes a reversal due is among these very events).
        var after = events.Aggregate(before, Redemption.Evolve);
        foreach (var (kind, adviceId, json) in Due(before, events))
        {
            // Forwarded advices only ever follow a request, so the stream and its provider exist.
            var redemption = after ?? throw new InvalidOperationException("an advice to forward on a new stream");
            var delivery = new ProviderDelivery
            {
                Id = ProviderDelivery.IdFor(streamKey, adviceId),
                StreamKey = streamKey,
                ClientId = redemption.ClientId,
                RequestId = redemption.RequestId,
                ProviderId = redemption.ProviderId ?? throw new InvalidOperationException("an advice to forward with no provider"),
                Kind = kind,
                VoucherCodeHash = redemption.VoucherCodeHash,
                VoucherPinHash = redemption.VoucherPinHash,
                AdviceId = adviceId,
                AdviceJson = UpstreamIds.AdviceJson(kind, json, redemption.ClientId, adviceId, redemption),
                Status = DeliveryStatus.Pending,
                QueuedAt = now,
                NextAttemptAt = now,
            };
            await DispatchAsync(bus, delivery);
            session.Store(delivery);
        }
    }

    /// <summary>Why this delivery cannot go to its provider now, or null when it can.</summary>
    public string? HoldReason(ProviderDelivery delivery)
    {
        var provider = providers.ByInstitution(delivery.ProviderId);
        if (provider is null)
        {
            return $"provider {delivery.ProviderId} is not configured";
        }

        var takes = delivery.Kind == AdviceKind.Confirmation ? provider.TakesConfirmations : provider.TakesReversals;
        return takes ? null : $"provider {delivery.ProviderId} does not take {delivery.Kind.ToString().ToLowerInvariant()}s";
    }

    /// <summary>
    /// Queues the delivery's next attempt (after <paramref name="delay"/>), or holds it when its
    /// provider cannot take it. The caller stores the delivery in the same transaction.
    /// </summary>
    public async ValueTask DispatchAsync(IMessageBus bus, ProviderDelivery delivery, TimeSpan? delay = null)
    {
        if (HoldReason(delivery) is { } reason)
        {
            delivery.Status = DeliveryStatus.Held;
            delivery.LastError = reason;
            delivery.NextAttemptAt = null;
            delivery.ClaimedUntil = null;
            return;
        }

        delivery.QueuedBy = node.Id;
        await bus.EndpointFor(QueueName(delivery.ProviderId)).SendAsync(
            new ForwardAdvice(delivery.Id, delivery.ProviderId, delivery.Generation, delivery.Attempts),
            delay is { } d ? new DeliveryOptions { ScheduleDelay = d } : null);
    }
}

using EventLedger.Providers;
using EventLedger.Redemptions;
using Wolverine;

namespace EventLedger.StoreAndForward;

/// <summary>
/// Store-and-forward's side of the ledger's outbox: every advice the ledger sends gets a
/// <see cref="ProviderDelivery"/> and a durable <see cref="ForwardAdvice"/> message, written in the
/// same transaction as the event (Wolverine's Marten outbox), so neither exists without the other.
/// An advice whose provider is no longer configured, or no longer takes advices of its kind, is
/// held instead: kept, shown to operators with the reason, and sent once the provider is back.
/// </summary>
public sealed class Forwarding(ProviderDirectory providers, Hosting.NodeIdentity node) : IAdviceOutbox
{
    public static string QueueName(string providerId) => "advices-" + providerId;

    /// <summary>Each advice the ledger sends becomes a delivery and its first attempt, in the ledger's transaction.</summary>
    public async Task SendAsync(RedemptionWrite write, IReadOnlyList<OutgoingAdvice> advices)
    {
        foreach (var advice in advices)
        {
            var delivery = new ProviderDelivery
            {
                Id = ProviderDelivery.IdFor(advice.StreamKey, advice.AdviceId),
                StreamKey = advice.StreamKey,
                ClientId = advice.ClientId,
                RequestId = advice.RequestId,
                ProviderId = advice.ProviderId,
                Kind = advice.Kind,
                VoucherCodeHash = advice.VoucherCodeHash,
                VoucherPinHash = advice.VoucherPinHash,
                AdviceId = advice.AdviceId,
                AdviceJson = advice.AdviceJson,
                Status = DeliveryStatus.Pending,
                QueuedAt = write.Now,
                NextAttemptAt = write.Now,
            };
            await DispatchAsync(write.Bus, delivery);
            write.Session.Store(delivery);
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

using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Redemptions;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten.Publishing;
using Wolverine.Runtime.Handlers;

namespace EventLedger.StoreAndForward;

/// <summary>
/// Wolverine's handler for <see cref="ForwardAdvice"/>: one attempt per message. Failures that the
/// protocol calls retryable are not exceptions: the next attempt is scheduled durably with backoff,
/// so nothing depends on Wolverine's retry counters and nothing is ever dead-lettered.
/// </summary>
public static class ForwardAdviceHandler
{
    public static Task Handle(ForwardAdvice message, AdviceForwarder forwarder, CancellationToken cancellation) =>
        forwarder.DeliverAsync(message, cancellation);

    /// <summary>
    /// Exceptions are faults of the switch itself (database unreachable, a lost race on the
    /// delivery, a bug): retried quickly a few times, then forever at a slow pace. The delivery
    /// stays pending and visible to operators meanwhile.
    /// </summary>
    public static void Configure(HandlerChain chain)
    {
        chain.OnException<Npgsql.NpgsqlException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetryIndefinitely(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
        chain.OnException(RedemptionLedger.IsLostRace)
            .RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200))
            .Then.ScheduleRetryIndefinitely(TimeSpan.FromSeconds(1));
        chain.OnAnyException()
            .ScheduleRetryIndefinitely(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
    }
}

/// <summary>Delivers one advice attempt and records what came of it.</summary>
public sealed class AdviceForwarder(
    IDocumentStore store, ProviderDirectory providers, ProviderGateway gateway, RedemptionLedger ledger,
    IServiceScopeFactory scopes, OutboxedSessionFactory sessions, StoreAndForwardOptions options, AdviceMetrics metrics,
    TimeProvider time, ILogger<AdviceForwarder> logger)
{
    /// <summary>Slack added to a provider's timeout for how long an attempt may hold its claim.</summary>
    public static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(5);

    public async Task DeliverAsync(ForwardAdvice message, CancellationToken ct)
    {
        var delivery = await ClaimAsync(message, ct);
        if (delivery is null)
        {
            return; // finished, superseded, a copy of an attempt already made, or being made right now
        }

        FailPoints.Reach(FailPoints.BeforeForward);
        var provider = providers.ByInstitution(delivery.ProviderId);
        var verdict = provider is null
            ? new DeliveryVerdict.Retry(null, $"provider {delivery.ProviderId} is not configured")
            : DeliveryVerdict.Of(delivery.Kind, await gateway.SendAsync(
                provider, HttpMethod.Post, Path(delivery.Kind), System.Text.Encoding.UTF8.GetBytes(delivery.AdviceJson)));
        metrics.Attempted(delivery.ProviderId);
        if (verdict is not DeliveryVerdict.Retry)
        {
            FailPoints.Reach(FailPoints.AfterProviderAnswer);
        }

        switch (verdict)
        {
            case DeliveryVerdict.Acknowledged ack:
                await FinishAsync(delivery, DeliveryStatus.Acknowledged, ack.Status, null,
                    state => state?.AckedAdvices.Contains(delivery.AdviceId) == true
                        ? []
                        : [new ProviderAdviceAcked(delivery.Kind, delivery.AdviceId, BySwitch: false, ack.Status, time.GetUtcNow())], ct);
                metrics.Acknowledged(delivery.ProviderId);
                break;
            case DeliveryVerdict.Refused refused:
                logger.LogWarning("Provider {Provider} refused {Kind} {AdviceId}: HTTP {Status} {ErrorType}",
                    delivery.ProviderId, delivery.Kind, delivery.AdviceId, refused.Status, refused.ErrorType);
                await FinishAsync(delivery, DeliveryStatus.Refused, refused.Status, $"{refused.ErrorType} {refused.ErrorMessage}".Trim(),
                    _ => [new ProviderAdviceRefused(delivery.Kind, delivery.AdviceId, refused.Status, refused.ErrorType, refused.ErrorMessage, time.GetUtcNow())], ct);
                metrics.Refused(delivery.ProviderId);
                break;
            case DeliveryVerdict.Retry retry:
                await ScheduleRetryAsync(delivery, retry, ct);
                break;
        }
    }

    /// <summary>
    /// Takes the delivery for this attempt, unless the message is stale or another copy holds it.
    /// The claim is a versioned write, so of two copies racing only one proceeds.
    /// </summary>
    private async Task<ProviderDelivery?> ClaimAsync(ForwardAdvice message, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var delivery = await session.LoadAsync<ProviderDelivery>(message.DeliveryId, ct)
            ?? throw new InvalidOperationException($"delivery {message.DeliveryId} not found"); // commits with its message: a fault, retried by policy
        var now = time.GetUtcNow();
        if (delivery.Status != DeliveryStatus.Pending || delivery.Generation != message.Generation ||
            delivery.Attempts != message.Attempt || delivery.ClaimedUntil > now)
        {
            return null;
        }

        var timeout = TimeSpan.FromMilliseconds(providers.ByInstitution(delivery.ProviderId)?.TimeoutMs ?? 0);
        delivery.ClaimedUntil = now + timeout + ClaimMargin;
        session.Store(delivery);
        try
        {
            await session.SaveChangesAsync(ct);
            return delivery;
        }
        catch (Exception ex) when (RedemptionLedger.IsLostRace(ex))
        {
            return null;
        }
    }

    public static string Path(AdviceKind kind) =>
        kind == AdviceKind.Confirmation ? "suv/v1/redemptions/confirmations" : "suv/v1/redemptions/reversals";

    /// <summary>The final answer goes into the stream and the delivery in one transaction.</summary>
    private Task<bool> FinishAsync(
        ProviderDelivery delivery, DeliveryStatus status, int providerStatus, string? error,
        Func<Redemption?, IReadOnlyList<object>> events, CancellationToken ct) =>
        ledger.DecideAsync(delivery.StreamKey, state => new Decision<bool>(events(state), true), ct, async write =>
        {
            var current = await write.Session.LoadAsync<ProviderDelivery>(delivery.Id, ct)
                ?? throw new InvalidOperationException($"delivery {delivery.Id} vanished");
            current.Status = status;
            current.Attempts++;
            current.LastStatus = providerStatus;
            current.LastError = error;
            current.LastAttemptAt = write.Now;
            current.NextAttemptAt = null;
            current.ClaimedUntil = null;
            current.FinishedAt = write.Now;
            write.Session.Store(current);
        });

    /// <summary>Counts the attempt and schedules the next one durably, unless an operator took over meanwhile.</summary>
    private async Task ScheduleRetryAsync(ProviderDelivery delivery, DeliveryVerdict.Retry retry, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await using var session = sessions.OpenSession(bus);
        var current = await session.LoadAsync<ProviderDelivery>(delivery.Id, ct);
        if (current is null || current.Status != DeliveryStatus.Pending || current.Generation != delivery.Generation || current.Attempts != delivery.Attempts)
        {
            return;
        }

        var now = time.GetUtcNow();
        current.Attempts++;
        current.LastStatus = retry.Status;
        current.LastError = retry.Reason;
        current.LastAttemptAt = now;
        var delay = Backoff.Delay(options, current.Attempts, Random.Shared.NextDouble());
        current.NextAttemptAt = now + delay;
        current.ClaimedUntil = null;
        session.Store(current);
        await Forwarding.SendAsync(bus, current, delay);
        await session.SaveChangesAsync(ct);
        logger.LogInformation("Advice {AdviceId} to {Provider}: attempt {Attempts} failed ({Reason}); next in {Delay}",
            current.AdviceId, current.ProviderId, current.Attempts, retry.Reason, delay);
    }
}

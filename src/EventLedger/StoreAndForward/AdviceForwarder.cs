using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Redemptions;
using Marten;
using Wolverine.ErrorHandling;
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
    /// An exception reaches Wolverine only before an attempt is claimed (the database is away, say):
    /// nothing was sent, so the message is simply tried again, quickly a few times, then forever at
    /// a slow pace. The delivery stays pending and visible to operators meanwhile.
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnAnyException()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1))
            .Then.ScheduleRetryIndefinitely(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));
}

/// <summary>Delivers one advice attempt and records what came of it.</summary>
public sealed class AdviceForwarder(
    ProviderDirectory providers, ProviderGateway gateway, RedemptionLedger ledger, Forwarding forwarding, NodeIdentity node,
    LedgerAvailability availability, StoreAndForwardOptions options, AdviceMetrics metrics, Security.VoucherCodes codes, TimeProvider time,
    ILogger<AdviceForwarder> logger)
{
    /// <summary>Slack added to a provider's timeout for how long an attempt may hold its claim.</summary>
    public static readonly TimeSpan ClaimMargin = TimeSpan.FromSeconds(5);

    public async Task DeliverAsync(ForwardAdvice message, CancellationToken ct)
    {
        var delivery = await ClaimAsync(message, ct);
        if (delivery is null)
        {
            return; // finished, superseded, held, a copy of an attempt already made, or being made right now
        }

        using var scope = Redemptions.RedemptionLog.Scope(logger, delivery.ClientId, delivery.RequestId, delivery.ProviderId, delivery.AdviceId);

        // From here the attempt is this handler's alone: whatever happens, its result (or the fault
        // that ended it) is recorded and the next attempt scheduled, so the claim never outlives it.
        DeliveryVerdict verdict;
        try
        {
            FailPoints.Reach(FailPoints.BeforeForward);
            var provider = providers.ByInstitution(delivery.ProviderId)!; // ClaimAsync held it otherwise
            var result = await gateway.SendAsync(provider, HttpMethod.Post, Path(delivery.Kind), System.Text.Encoding.UTF8.GetBytes(delivery.AdviceJson));
            // A provider's refusal may echo the voucher's code or PIN: recognised by their hashes, they are masked before anything records them.
            verdict = DeliveryVerdict.Of(delivery.Kind, result, NotFoundIsFinal(delivery, provider, time.GetUtcNow()))
                .Scrubbed(codes.Recognising(delivery.VoucherCodeHash, delivery.VoucherPinHash, delivery.StreamKey));
            metrics.Attempted(delivery.ProviderId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Advice {AdviceId} to {Provider}: the attempt failed inside the switch", delivery.AdviceId, delivery.ProviderId);
            verdict = new DeliveryVerdict.Retry(null, "switch fault: " + Faults.Describe(ex));
        }

        if (verdict is not DeliveryVerdict.Retry)
        {
            FailPoints.Reach(FailPoints.AfterProviderAnswer);
        }

        await PersistAsync(delivery, c => RecordAsync(delivery, verdict, c), ct);
    }

    /// <summary>
    /// Takes the delivery for this attempt, under the redemption's lock, unless the message is stale,
    /// another copy holds it, or its provider cannot take it now (then it is held).
    /// </summary>
    private async Task<ProviderDelivery?> ClaimAsync(ForwardAdvice message, CancellationToken ct)
    {
        await using var locked = await ledger.LockAsync(ProviderDelivery.StreamKeyOf(message.DeliveryId), ct);
        var delivery = await locked.Session.LoadAsync<ProviderDelivery>(message.DeliveryId, ct);
        if (delivery is null)
        {
            // It commits with its message, so this cannot happen; retrying would not make it appear.
            logger.LogError("Advice delivery {DeliveryId} not found; message dropped", message.DeliveryId);
            return null;
        }

        var now = time.GetUtcNow();
        if (delivery.Status != DeliveryStatus.Pending || delivery.Generation != message.Generation ||
            delivery.Attempts != message.Attempt || delivery.ClaimedUntil > now)
        {
            return null;
        }

        if (forwarding.HoldReason(delivery) is { } reason)
        {
            await forwarding.DispatchAsync(locked.Bus, delivery); // holds it
            locked.Session.Store(delivery);
            await locked.Session.SaveChangesAsync(ct);
            logger.LogWarning("Advice {AdviceId} held: {Reason}", delivery.AdviceId, reason);
            return null;
        }

        var timeout = TimeSpan.FromMilliseconds(providers.ByInstitution(delivery.ProviderId)!.TimeoutMs);
        delivery.ClaimedUntil = now + timeout + ClaimMargin;
        delivery.ClaimToken = Guid.NewGuid().ToString("N");
        delivery.QueuedBy = node.Id;
        locked.Session.Store(delivery);
        await locked.Session.SaveChangesAsync(ct);
        return delivery;
    }

    /// <summary>
    /// A request reaches its provider within the provider's timeout or not at all, as far as the
    /// switch is concerned; after twice that since the advice was queued, a 404 to its reversal is final.
    /// </summary>
    public static bool NotFoundIsFinal(ProviderDelivery delivery, ProviderOptions provider, DateTimeOffset now) =>
        now - delivery.QueuedAt >= TimeSpan.FromMilliseconds(2.0 * provider.TimeoutMs);

    public static string Path(AdviceKind kind) =>
        kind == AdviceKind.Confirmation ? "suv/v1/redemptions/confirmations" : "suv/v1/redemptions/reversals";

    private async Task RecordAsync(ProviderDelivery delivery, DeliveryVerdict verdict, CancellationToken ct)
    {
        switch (verdict)
        {
            case DeliveryVerdict.Acknowledged ack:
                if (await FinishAsync(delivery, DeliveryStatus.Acknowledged, ack.Status, null,
                    new ProviderAdviceAcked(delivery.Kind, delivery.AdviceId, BySwitch: false, ack.Status, time.GetUtcNow()), ct))
                {
                    logger.LogInformation("Advice {AdviceId} ({Kind}) delivered to provider {Provider}: HTTP {Status} at attempt {Attempt}",
                        delivery.AdviceId, delivery.Kind, delivery.ProviderId, ack.Status, delivery.Attempts + 1);
                    metrics.Acknowledged(delivery.ProviderId);
                }

                break;
            case DeliveryVerdict.Refused refused:
                if (await FinishAsync(delivery, DeliveryStatus.Refused, refused.Status, $"{refused.ErrorType} {refused.ErrorMessage}".Trim(),
                    new ProviderAdviceRefused(delivery.Kind, delivery.AdviceId, refused.Status, refused.ErrorType, refused.ErrorMessage, time.GetUtcNow()), ct))
                {
                    // A Warning, not Information: a refused advice waits for an operator.
                    logger.LogWarning("Provider {Provider} refused {Kind} {AdviceId}: HTTP {Status} {ErrorType}",
                        delivery.ProviderId, delivery.Kind, delivery.AdviceId, refused.Status, refused.ErrorType);
                    metrics.Refused(delivery.ProviderId);
                }

                break;
            case DeliveryVerdict.Retry retry:
                await ScheduleRetryAsync(delivery, retry, ct);
                break;
        }
    }

    /// <summary>
    /// The result of an attempt that was made must reach the ledger: while the database is away the
    /// write waits for it (holding this queue slot) rather than leaving the claim to block the
    /// retries. Wolverine ends the wait when the host stops or the handler has run for its execution
    /// timeout: the result is then left unrecorded, and the advice is queued again as soon as its
    /// claim runs out (the sweeper), where a copy sent twice is harmless.
    /// </summary>
    private async Task PersistAsync(ProviderDelivery delivery, Func<CancellationToken, Task> write, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                try
                {
                    await write(ct);
                    return;
                }
                catch (Exception ex) when (Faults.IsDatabaseUnavailable(ex) && !ct.IsCancellationRequested)
                {
                    availability.Report(ex);
                    await Task.Delay(LedgerAvailability.DownProbePeriod, time, ct);
                    await availability.WaitUntilAvailableAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("Advice {AdviceId} to {Provider}: the attempt's result was not recorded before the wait ended; it is queued again when its claim runs out",
                delivery.AdviceId, delivery.ProviderId);
        }
    }

    /// <summary>
    /// The final answer goes into the stream and the delivery in one transaction, once: a delivery
    /// no longer pending was finished already (by this attempt, when its commit was in doubt and the
    /// write was tried again) or taken over by an operator, and gets nothing more.
    /// </summary>
    /// <returns>
    /// Whether this attempt's answer is recorded: by this call, or by an earlier try of it whose
    /// commit was in doubt (the delivery then already stands finished by this very attempt).
    /// </returns>
    private async Task<bool> FinishAsync(
        ProviderDelivery delivery, DeliveryStatus status, int providerStatus, string? error, object answered, CancellationToken ct)
    {
        await using var locked = await ledger.LockAsync(delivery.StreamKey, ct);
        var current = await locked.Session.LoadAsync<ProviderDelivery>(delivery.Id, ct);
        if (current is null || current.Status != DeliveryStatus.Pending || current.Generation != delivery.Generation)
        {
            // Finished by this very attempt (its token stays on a finished delivery), not by a copy of it.
            return current is not null && current.Status == status && current.Generation == delivery.Generation
                && delivery.ClaimToken is not null && current.ClaimToken == delivery.ClaimToken;
        }

        var now = time.GetUtcNow();
        locked.Session.Events.Append(delivery.StreamKey, answered);
        current.Status = status;
        current.Attempted(now, providerStatus, error);
        current.NextAttemptAt = null;
        current.ClaimedUntil = null;
        // Kept: it names the attempt that finished the delivery, which a retry of a commit in doubt recognises.
        current.ClaimToken = delivery.ClaimToken;
        current.FinishedAt = now;
        locked.Session.Store(current);
        await locked.Session.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Counts the attempt and schedules the next one durably, unless the attempt no longer holds the delivery.</summary>
    private async Task ScheduleRetryAsync(ProviderDelivery delivery, DeliveryVerdict.Retry retry, CancellationToken ct)
    {
        await using var locked = await ledger.LockAsync(delivery.StreamKey, ct);
        var current = await locked.Session.LoadAsync<ProviderDelivery>(delivery.Id, ct);
        if (current is null || current.Status != DeliveryStatus.Pending || current.Generation != delivery.Generation ||
            current.Attempts != delivery.Attempts || current.ClaimToken != delivery.ClaimToken)
        {
            return; // finished meanwhile, taken over by an operator, or no longer this attempt's to schedule
        }

        var now = time.GetUtcNow();
        current.Attempted(now, retry.Status, retry.Reason);
        var delay = Backoff.Delay(options, current.Attempts, Random.Shared.NextDouble());
        current.NextAttemptAt = now + delay;
        current.ClaimedUntil = null;
        current.ClaimToken = null;
        await forwarding.DispatchAsync(locked.Bus, current, delay);
        locked.Session.Store(current);
        await locked.Session.SaveChangesAsync(ct);
        logger.LogInformation("Advice {AdviceId} to {Provider}: attempt {Attempts} failed ({Reason}); next in {Delay}",
            current.AdviceId, current.ProviderId, current.Attempts, retry.Reason, delay);
    }
}

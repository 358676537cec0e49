using Marten;

namespace EventLedger.StoreAndForward;

/// <summary>
/// The safety net under the durable queue: re-queues pending advices whose next attempt is long
/// overdue. Wolverine recovers a crashed node's messages by itself in most cases, but we observed
/// (Wolverine 6.62, Solo mode) a message sent through the Marten outbox to a durable local queue
/// left behind with status "Outgoing" in the inbox table after a SIGKILL, and never recovered. The
/// ledger must not depend on that: the delivery document is the source of truth for what is owed.
/// </summary>
/// <remarks>
/// The same happens without a crash: advices accepted faster than the provider takes them wait in
/// the queue's memory, and a restart, even a graceful one, leaves them behind the same way (seen by
/// the benchmark: 4 908 advices waited out the 5-minute overdue period). So a single node starts
/// with a sweep of everything already due: nothing of its own can be in flight yet, and a copy of
/// an advice Wolverine did recover is harmless (claims stop a concurrent second send, and a copy
/// of an acknowledged advice is dropped). Clustered nodes leave that to the periodic sweep, since
/// another live node may hold those advices in memory.
/// </remarks>
public sealed class OverdueSweeper(
    IDocumentStore store, Redemptions.RedemptionLedger ledger, Forwarding forwarding, Providers.ProviderDirectory providers,
    Hosting.NodeIdentity node, StoreAndForwardOptions options,
    Hosting.SwitchOptions switchOptions, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<OverdueSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A message sent before Wolverine's listeners run is stranded the same way: wait for the host.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var startedAt = time.GetUtcNow();
        var catchingUp = !switchOptions.Clustered;
        await Hosting.BackgroundLoop.RunAsync("Advice sweep", TimeSpan.FromMilliseconds(options.SweepIntervalMs), async ct =>
        {
            await ReleaseHeldAsync(ct);
            await TakeOverAsync(ct);
            if (catchingUp)
            {
                catchingUp = await CatchUpAsync(startedAt, ct);
            }
            else
            {
                await SweepAsync(ct);
            }
        }, logger, time, stoppingToken);
    }

    /// <summary>
    /// Re-queues advices pending long past their next attempt, and at once those whose attempt ended
    /// without a word (its claim ran out: the attempt records its result and clears the claim
    /// within it, unless the process died or could not even record the claim); returns how many.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken ct) =>
        (await SweepAsync(time.GetUtcNow() - TimeSpan.FromMilliseconds(options.OverdueAfterMs), catchingUp: false, ct)).Requeued;

    /// <summary>
    /// Re-queues every advice that was due when the switch started; true while some remain (claimed
    /// by the previous process until its claim runs out), false once none does.
    /// </summary>
    private async Task<bool> CatchUpAsync(DateTimeOffset startedAt, CancellationToken ct)
    {
        var total = 0;
        (int Found, int Requeued) batch;
        do
        {
            // Each re-queued advice moves its next attempt past startedAt, so the batches run out.
            batch = await SweepAsync(startedAt, catchingUp: true, ct);
            total += batch.Requeued;
        }
        while (batch.Requeued > 0);

        if (total > 0)
        {
            logger.LogWarning("Re-queued {Count} advices that were due when the switch started", total);
        }

        return batch.Found > 0;
    }

    /// <summary>
    /// Candidates are pending advices due before <paramref name="cutoff"/>. Catching up, claimed ones
    /// count as found (the previous process's claim runs out soon, and they must not be forgotten);
    /// any claimed advice is left alone until then.
    /// </summary>
    private async Task<(int Found, int Requeued)> SweepAsync(DateTimeOffset cutoff, bool catchingUp, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<string> overdue;
        await using (var query = store.QuerySession())
        {
            overdue = await query.Query<ProviderDelivery>()
                .Where(d => d.Status == DeliveryStatus.Pending &&
                    ((d.NextAttemptAt < cutoff && (catchingUp || d.ClaimedUntil == null || d.ClaimedUntil < now)) || d.ClaimedUntil < now))
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(options.SweepBatch)
                .ToListAsync(ct);
        }

        var requeued = 0;
        foreach (var id in overdue)
        {
            requeued += await OneAsync(id, () => RequeueAsync(id, cutoff, quietly: catchingUp, ct)) ? 1 : 0;
        }

        return (overdue.Count, requeued);
    }

    /// <summary>
    /// Queues again the due advices whose node is dead (killed, or stopped with advices still in its
    /// queue's memory): as soon as the node is stale, not after the overdue period. Returns how many.
    /// </summary>
    public async Task<int> TakeOverAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<string> live;
        IReadOnlyList<string> orphans;
        await using (var query = store.QuerySession())
        {
            // This node is alive whatever its last heartbeat says (one may have failed during an outage).
            live = [.. await Hosting.NodeHeartbeat.LiveAsync(query, switchOptions, now, ct), node.Id];
            orphans = await query.Query<ProviderDelivery>()
                .Where(d => d.Status == DeliveryStatus.Pending && d.QueuedBy != null && !live.Contains(d.QueuedBy) && d.NextAttemptAt <= now &&
                    (d.ClaimedUntil == null || d.ClaimedUntil < now))
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(options.SweepBatch)
                .ToListAsync(ct);
        }

        var taken = 0;
        foreach (var id in orphans)
        {
            taken += await OneAsync(id, () => RequeueAsync(id, now.AddTicks(1), quietly: true, ct, d => d.QueuedBy is { } queuedBy && !live.Contains(queuedBy))) ? 1 : 0;
        }

        if (taken > 0)
        {
            logger.LogWarning("Took over {Count} advices queued by nodes that are gone", taken);
        }

        return taken;
    }

    private async Task<bool> RequeueAsync(string id, DateTimeOffset cutoff, bool quietly, CancellationToken ct, Func<ProviderDelivery, bool>? still = null)
    {
        await using var locked = await ledger.LockAsync(ProviderDelivery.StreamKeyOf(id), ct);
        var delivery = await locked.Session.LoadAsync<ProviderDelivery>(id, ct);
        var now = time.GetUtcNow();
        var abandoned = delivery?.ClaimedUntil < now;
        if (delivery is not { Status: DeliveryStatus.Pending } || (delivery.NextAttemptAt >= cutoff && !abandoned) || delivery.ClaimedUntil > now ||
            (still is not null && !still(delivery)))
        {
            return false;
        }

        delivery.ClaimedUntil = null;
        delivery.ClaimToken = null;

        delivery.NextAttemptAt = now;
        await forwarding.DispatchAsync(locked.Bus, delivery);
        locked.Session.Store(delivery);
        await locked.Session.SaveChangesAsync(ct);
        if (!quietly)
        {
            logger.LogWarning("Re-queued overdue advice {AdviceId} to {Provider} (attempts so far {Attempts})",
                delivery.AdviceId, delivery.ProviderId, delivery.Attempts);
        }

        return true;
    }

    /// <summary>
    /// Sends the held advices whose provider can take them again (it was configured back, or takes
    /// their kind again); returns how many. A new generation makes any older copy of their message stale.
    /// </summary>
    public async Task<int> ReleaseHeldAsync(CancellationToken ct)
    {
        // Only those of configured providers: advices held for a provider gone for good must not crowd them out.
        var configured = providers.All.Select(p => p.InstitutionId).ToList();
        IReadOnlyList<ProviderDelivery> held;
        await using (var query = store.QuerySession())
        {
            held = await query.Query<ProviderDelivery>().Where(d => d.Status == DeliveryStatus.Held && configured.Contains(d.ProviderId))
                .OrderBy(d => d.QueuedAt).Take(options.SweepBatch).ToListAsync(ct);
        }

        var released = 0;
        foreach (var candidate in held.Where(d => forwarding.HoldReason(d) is null))
        {
            released += await OneAsync(candidate.Id, () => ReleaseAsync(candidate, ct)) ? 1 : 0;
        }

        if (released > 0)
        {
            logger.LogWarning("Released {Count} held advices: their provider takes them again", released);
        }

        return released;
    }

    private async Task<bool> ReleaseAsync(ProviderDelivery candidate, CancellationToken ct)
    {
        await using var locked = await ledger.LockAsync(candidate.StreamKey, ct);
        var delivery = await locked.Session.LoadAsync<ProviderDelivery>(candidate.Id, ct);
        if (delivery is not { Status: DeliveryStatus.Held })
        {
            return false;
        }

        delivery.Status = DeliveryStatus.Pending;
        delivery.Generation++;
        delivery.NextAttemptAt = time.GetUtcNow();
        await forwarding.DispatchAsync(locked.Bus, delivery);
        locked.Session.Store(delivery);
        await locked.Session.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// One delivery's work: a fault of its own is logged and the round goes on with the others (the
    /// next round tries it again); the database being away ends the round.
    /// </summary>
    private async Task<bool> OneAsync(string id, Func<Task<bool>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception ex) when (!Hosting.Faults.IsDatabaseUnavailable(ex) && ex is not OperationCanceledException)
        {
            logger.LogWarning("Advice delivery {Id} skipped this round: {Reason}", id, Hosting.Faults.Describe(ex));
            return false;
        }
    }
}

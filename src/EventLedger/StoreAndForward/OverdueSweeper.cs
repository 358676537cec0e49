using Marten;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace EventLedger.StoreAndForward;

/// <summary>
/// The safety net under the durable queue: re-queues pending advices whose next attempt is long
/// overdue. Wolverine recovers a crashed node's messages by itself in most cases, but we observed
/// (Wolverine 6.62, Solo mode) a message sent through the Marten outbox to a durable local queue
/// left behind with status "Outgoing" in the inbox table after a SIGKILL, and never recovered. The
/// ledger must not depend on that: the delivery document is the source of truth for what is owed.
/// </summary>
public sealed class OverdueSweeper(
    IDocumentStore store, IServiceScopeFactory scopes, OutboxedSessionFactory sessions, StoreAndForwardOptions options,
    TimeProvider time, ILogger<OverdueSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.SweepIntervalMs), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException || Redemptions.RedemptionLedger.IsLostRace(ex))
            {
                logger.LogWarning("Overdue advice sweep failed, will try again: {Reason}", ex.Message);
            }
        }
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = now - TimeSpan.FromMilliseconds(options.OverdueAfterMs);
        IReadOnlyList<string> overdue;
        await using (var query = store.QuerySession())
        {
            overdue = await query.Query<ProviderDelivery>()
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt < cutoff && (d.ClaimedUntil == null || d.ClaimedUntil < now))
                .OrderBy(d => d.NextAttemptAt)
                .Select(d => d.Id)
                .Take(options.SweepBatch)
                .ToListAsync(ct);
        }

        foreach (var id in overdue)
        {
            await RequeueAsync(id, cutoff, ct);
        }

        return overdue.Count;
    }

    private async Task RequeueAsync(string id, DateTimeOffset cutoff, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await using var session = sessions.OpenSession(bus);
        var delivery = await session.LoadAsync<ProviderDelivery>(id, ct);
        if (delivery is not { Status: DeliveryStatus.Pending } || delivery.NextAttemptAt >= cutoff || delivery.ClaimedUntil > time.GetUtcNow())
        {
            return;
        }

        delivery.NextAttemptAt = time.GetUtcNow();
        session.Store(delivery);
        await Forwarding.SendAsync(bus, delivery);
        await session.SaveChangesAsync(ct);
        logger.LogWarning("Re-queued overdue advice {AdviceId} to {Provider} (attempts so far {Attempts})",
            delivery.AdviceId, delivery.ProviderId, delivery.Attempts);
    }
}

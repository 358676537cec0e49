using EventLedger.StoreAndForward;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Marten.Publishing;

namespace EventLedger.Redemptions;

/// <summary>What a decision wants written, and what the caller answers once it is.</summary>
public sealed record Decision<TAnswer>(IReadOnlyList<object> Events, TAnswer Answer);

public static class Decision
{
    /// <summary>An answer that writes nothing.</summary>
    public static Decision<TAnswer> Only<TAnswer>(TAnswer answer) => new([], answer);
}

/// <summary>The transaction a decision's events are written in, for writes that must commit with them.</summary>
public sealed record LedgerWrite(IDocumentSession Session, IMessageBus Bus, Redemption? Before, IReadOnlyList<object> Events, DateTimeOffset Now);

/// <summary>
/// An outboxed session whose transaction holds one redemption's lock: whatever it reads of that
/// redemption (its stream, its deliveries) no one else changes until it commits or is disposed.
/// </summary>
public sealed class LockedRedemption(AsyncServiceScope scope, IMessageBus bus, IDocumentSession session) : IAsyncDisposable
{
    public IDocumentSession Session { get; } = session;

    public IMessageBus Bus { get; } = bus;

    public async ValueTask DisposeAsync()
    {
        // Disposing without committing rolls the transaction back, which releases the lock.
        Session.Dispose();
        await scope.DisposeAsync();
    }
}

/// <summary>
/// Runs a pure decision against the current state of a redemption stream and appends its events.
/// Writers of one redemption are serialized: each takes the redemption's lock (a PostgreSQL
/// advisory lock held by its transaction) before it reads, so racing advices and duplicate
/// requests queue behind one another, each deciding on the state the previous one left, and every
/// caller gets the table's answer with no retry budget to run out. Advices the events send to a
/// provider are queued in the same transaction (Wolverine's Marten outbox).
/// </summary>
public sealed class RedemptionLedger(IServiceScopeFactory scopes, OutboxedSessionFactory sessions, Forwarding forwarding, TimeProvider time)
{
    /// <summary>Opens a transaction holding the redemption's lock; waits while another writer holds it.</summary>
    public async Task<LockedRedemption> LockAsync(string streamKey, CancellationToken ct)
    {
        var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var locked = new LockedRedemption(scope, bus, sessions.OpenSession(bus));
        try
        {
            await locked.Session.BeginTransactionAsync(ct);
            // Keyed by the stream key, so it also serializes the writers racing to start a stream.
            await locked.Session.ExecuteAsync(new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@key, 0))")
            {
                Parameters = { new NpgsqlParameter("key", streamKey) },
            }, ct);
            return locked;
        }
        catch
        {
            await locked.DisposeAsync();
            throw;
        }
    }

    public async Task<TAnswer> DecideAsync<TAnswer>(
        string streamKey, Func<Redemption?, Decision<TAnswer>> decide, CancellationToken ct, Func<LedgerWrite, Task>? alongside = null)
    {
        await using var locked = await LockAsync(streamKey, ct);
        var session = locked.Session;
        var stream = await session.Events.FetchStreamAsync(streamKey, token: ct);
        var before = Redemption.Fold(stream.Select(e => e.Data));
        var decision = decide(before);
        if (decision.Events.Count == 0 && alongside is null)
        {
            return decision.Answer;
        }

        if (decision.Events.Count > 0 && stream.Count == 0)
        {
            session.Events.StartStream(streamKey, decision.Events.ToArray());
        }
        else if (decision.Events.Count > 0)
        {
            // Under the lock no one can have appended since the read; the version check asserts it.
            session.Events.Append(streamKey, stream[^1].Version + decision.Events.Count, decision.Events.ToArray());
        }

        var now = time.GetUtcNow();
        await forwarding.EnqueueAsync(session, locked.Bus, streamKey, before, decision.Events, now);
        if (alongside is not null)
        {
            await alongside(new LedgerWrite(session, locked.Bus, before, decision.Events, now));
        }

        await session.SaveChangesAsync(ct);
        return decision.Answer;
    }
}

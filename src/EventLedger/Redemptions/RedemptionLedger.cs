using System.Collections.Concurrent;
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
public sealed record RedemptionWrite(IDocumentSession Session, IMessageBus Bus, DateTimeOffset Now);

/// <summary>
/// An outboxed session whose transaction holds one redemption's lock: whatever it reads of that
/// redemption (its stream, its deliveries) no one else changes until it commits or is disposed.
/// </summary>
public sealed class LockedRedemption(AsyncServiceScope scope, IMessageBus bus, IDocumentSession session, IDisposable entered) : IAsyncDisposable
{
    public IDocumentSession Session { get; } = session;

    public IMessageBus Bus { get; } = bus;

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Disposing without committing rolls the transaction back, which releases the lock.
            await Session.DisposeAsync();
            await scope.DisposeAsync();
        }
        finally
        {
            entered.Dispose();
        }
    }
}

/// <summary>
/// Runs a pure decision against the current state of a redemption stream and appends its events.
/// Writers of one redemption are serialized: each takes the redemption's lock (a PostgreSQL
/// advisory lock held by its transaction) before it reads, so racing advices and duplicate
/// requests queue behind one another, each deciding on the state the previous one left, and every
/// caller gets the table's answer with no retry budget to run out. Advices the events send to a
/// provider go to the <see cref="IAdviceOutbox"/> in the same transaction (Wolverine's Marten outbox).
/// </summary>
public sealed class RedemptionLedger(IServiceScopeFactory scopes, OutboxedSessionFactory sessions, IAdviceOutbox outbox, TimeProvider time)
{
    /// <summary>
    /// The first key of the two-key advisory lock: the redemption locks' own space, apart from the
    /// one-key locks Marten and Wolverine hold for leader election.
    /// </summary>
    public const int LockClass = 0x45_4C_52; // "ELR"

    /// <summary>Longest wait for a redemption's lock held by another node; past it the request is answered 503 and nothing is written.</summary>
    public const int LockTimeoutSeconds = 10;

    private readonly KeyedGate _gate = new();
    private readonly ConcurrentDictionary<string, Func<Redemption?, DateTimeOffset, IReadOnlyList<object>>> _owed = new(StringComparer.Ordinal);

    /// <summary>Streams with a correction owed (<see cref="Owe"/>) not yet written.</summary>
    public IReadOnlyCollection<string> Owed => [.. _owed.Keys];

    /// <summary>
    /// Owes a stream a correction that could not be written (the database was away): it is written
    /// before, and in the same transaction as, whatever is next decided on that stream, so that no
    /// decision is ever made on the uncorrected state.
    /// </summary>
    public void Owe(string streamKey, Func<Redemption?, DateTimeOffset, IReadOnlyList<object>> correction) => _owed[streamKey] = correction;

    /// <summary>Opens a transaction holding the redemption's lock; waits while another writer holds it.</summary>
    public async Task<LockedRedemption> LockAsync(string streamKey, CancellationToken ct)
    {
        var entered = await _gate.EnterAsync(streamKey, ct);
        var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var locked = new LockedRedemption(scope, bus, sessions.OpenSession(bus), entered);
        try
        {
            await locked.Session.BeginTransactionAsync(ct);
            // Keyed by the stream key, so it also serializes the writers racing to start a stream.
            await locked.Session.ExecuteAsync(new NpgsqlCommand(Hosting.LedgerSql.TransactionLock(LockClass, LockTimeoutSeconds))
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
        string streamKey, Func<Redemption?, Decision<TAnswer>> decide, CancellationToken ct, Func<RedemptionWrite, Task>? alongside = null)
    {
        await using var locked = await LockAsync(streamKey, ct);
        var session = locked.Session;
        var stream = await session.Events.FetchStreamAsync(streamKey, token: ct);
        var before = Redemption.Fold(stream.Select(e => e.Data));
        var now = time.GetUtcNow();
        var correction = _owed.GetValueOrDefault(streamKey);
        IReadOnlyList<object> owed = correction?.Invoke(before, now) ?? [];
        var decision = decide(owed.Aggregate(before, Redemption.Evolve));
        object[] events = [.. owed, .. decision.Events];
        if (events.Length == 0 && alongside is null)
        {
            Settled(streamKey, correction);
            return decision.Answer;
        }

        if (events.Length > 0 && stream.Count == 0)
        {
            session.Events.StartStream(streamKey, events);
        }
        else if (events.Length > 0)
        {
            // Under the lock no one can have appended since the read; the version check asserts it.
            session.Events.Append(streamKey, stream[^1].Version + events.Length, events);
        }

        var write = new RedemptionWrite(session, locked.Bus, now);
        if (OutgoingAdvices.Of(streamKey, before, events) is { Count: > 0 } advices)
        {
            await outbox.SendAsync(write, advices);
        }

        if (alongside is not null)
        {
            await alongside(write);
        }

        await session.SaveChangesAsync(ct);
        Settled(streamKey, correction);
        return decision.Answer;
    }

    private void Settled(string streamKey, Func<Redemption?, DateTimeOffset, IReadOnlyList<object>>? correction)
    {
        if (correction is not null)
        {
            _owed.TryRemove(new KeyValuePair<string, Func<Redemption?, DateTimeOffset, IReadOnlyList<object>>>(streamKey, correction));
        }
    }
}

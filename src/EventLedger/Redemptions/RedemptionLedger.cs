using EventLedger.StoreAndForward;
using JasperFx;
using JasperFx.Events;
using Marten;
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
/// Runs a pure decision against the current state of a redemption stream and appends its events
/// with optimistic concurrency. When another writer got there first, the stream is read again and
/// the decision made again on the new state: so racing advices resolve exactly once, and every
/// loser is answered from the state the winner left. Advices the events send to a provider are
/// queued in the same transaction (Wolverine's Marten outbox).
/// </summary>
public sealed class RedemptionLedger(IServiceScopeFactory scopes, OutboxedSessionFactory sessions, TimeProvider time)
{
    /// <summary>Attempts before giving up under contention; each loser re-reads, so few are ever needed.</summary>
    public const int MaxAttempts = 10;

    public async Task<TAnswer> DecideAsync<TAnswer>(
        string streamKey, Func<Redemption?, Decision<TAnswer>> decide, CancellationToken ct, Func<LedgerWrite, Task>? alongside = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            await using var session = sessions.OpenSession(bus);
            var stream = await session.Events.FetchStreamAsync(streamKey, token: ct);
            var before = Redemption.Fold(stream.Select(e => e.Data));
            var decision = decide(before);
            if (decision.Events.Count == 0 && alongside is null)
            {
                return decision.Answer;
            }

            if (decision.Events.Count == 0)
            {
                // Nothing for the stream; the alongside writes still commit, checked as usual.
            }
            else if (stream.Count == 0)
            {
                session.Events.StartStream(streamKey, decision.Events.ToArray());
            }
            else
            {
                // Marten checks the version the stream reaches with these events appended.
                session.Events.Append(streamKey, stream[^1].Version + decision.Events.Count, decision.Events.ToArray());
            }

            var now = time.GetUtcNow();
            await Forwarding.EnqueueAsync(session, bus, streamKey, before, decision.Events, now);
            if (alongside is not null)
            {
                await alongside(new LedgerWrite(session, bus, before, decision.Events, now));
            }

            try
            {
                await session.SaveChangesAsync(ct);
                return decision.Answer;
            }
            catch (Exception ex) when (IsLostRace(ex) && attempt < MaxAttempts)
            {
                // Another writer committed first: decide again on what it left.
            }
        }
    }

    public static bool IsLostRace(Exception ex) =>
        ex is ConcurrencyException or ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException
 ||
        (ex.InnerException is { } inner && IsLostRace(inner));
}

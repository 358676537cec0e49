using EventLedger.Hosting;
using JasperFx.Events.Daemon;
using Marten;

namespace EventLedger.OperatorConsole;

/// <summary>A rebuild an operator started: which projection, who, since when, how far, and how it ended.</summary>
public sealed record RebuildState(
    string Projection, string OperatorId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long TargetSequence, string? Failure)
{
    public bool Running => EndedAt is null;
}

/// <summary>Recorded in the <c>projection-rebuilds</c> stream: an operator's rebuild, started and ended.</summary>
public sealed record ProjectionRebuildStarted(string Projection, string OperatorId, long TargetSequence, DateTimeOffset At);

public sealed record ProjectionRebuildEnded(string Projection, string OperatorId, string? Failure, DateTimeOffset At);

/// <summary>
/// Rebuilds an asynchronous projection in the running switch, one at a time, through the daemon
/// that runs it on this node (Marten stops the projection's agent, replays every event into a fresh
/// view, and starts it again). While it runs, lookups answer "still processing" for what the view
/// has not reached yet, as after any lag. A node that does not run the projections (a cold node of a
/// cluster) refuses: the rebuild must happen where the agent is, or it would race it.
/// </summary>
public sealed class ProjectionRebuilds(
    IProjectionCoordinator coordinator, IDocumentStore store, TimeProvider time, ILogger<ProjectionRebuilds> logger, IHostApplicationLifetime lifetime)
{
    /// <summary>Longest Marten waits for the projection's agent to stop before rebuilding.</summary>
    public static readonly TimeSpan ShardTimeout = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private RebuildState? _current;

    public RebuildState? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The projections this node runs now.</summary>
    public IReadOnlyList<string> RunningHere() => [.. ShardsHere().Select(s => s.Split(':')[0]).Distinct()];

    /// <summary>The projection shards (<c>Projection:Shard</c>) this node runs now.</summary>
    public IReadOnlyList<string> ShardsHere() =>
        [.. coordinator.DaemonForMainDatabase().CurrentAgents().Where(a => a.Status == JasperFx.AgentStatus.Running).Select(a => a.Name.Identity)];

    /// <summary>Starts a rebuild in the background, or says why not.</summary>
    public async Task<string?> StartAsync(string projection, string operatorId, CancellationToken ct)
    {
        if (!RunningHere().Contains(projection))
        {
            return $"this node does not run {projection} now; rebuild it on the node that does (the nodes page of the API lists them)";
        }

        long target;
        await using (var session = store.QuerySession())
        {
            target = (await session.AdvancedSql.QueryAsync<long>(LedgerSql.LastEventSequence, ct)).Single();
        }

        var started = new RebuildState(projection, operatorId, time.GetUtcNow(), null, target, null);
        lock (_gate)
        {
            if (_current is { Running: true } running)
            {
                return $"{running.Projection} is being rebuilt (started by {running.OperatorId}); one rebuild at a time";
            }

            _current = started;
        }

        try
        {
            // Not the request's token: an operator closing the tab must not leave a rebuild half-started.
            await RecordAsync(new ProjectionRebuildStarted(projection, operatorId, target, started.StartedAt), CancellationToken.None);
        }
        catch
        {
            lock (_gate)
            {
                _current = null;
            }

            throw;
        }

        _ = Task.Run(() => RunAsync(started), CancellationToken.None);
        return null;
    }

    private async Task RunAsync(RebuildState started)
    {
        string? failure = null;
        var daemon = coordinator.DaemonForMainDatabase();
        var shards = ShardsHere().Where(shard => shard.Split(':')[0] == started.Projection).ToList();
        try
        {
            logger.LogWarning("Operator {OperatorId} started a rebuild of {Projection}", started.OperatorId, started.Projection);
            await daemon.RebuildProjectionAsync(started.Projection, ShardTimeout, lifetime.ApplicationStopping);
            logger.LogWarning("Rebuild of {Projection} finished", started.Projection);
        }
        catch (Exception ex)
        {
            failure = Faults.Describe(ex);
            logger.LogError("Rebuild of {Projection} failed: {Reason}", started.Projection, failure);
        }
        finally
        {
            // The daemon leaves the rebuilt shards stopped, finished or not: they go on from where the
            // rebuild left them, so the view keeps following the ledger either way.
            foreach (var shard in shards.Except(ShardsHere()))
            {
                try
                {
                    await daemon.StartAgentAsync(shard, lifetime.ApplicationStopping);
                }
                catch (Exception ex)
                {
                    failure ??= Faults.Describe(ex);
                    logger.LogError("Projection shard {Shard} not started again after its rebuild: {Reason}", shard, Faults.Describe(ex));
                }
            }
        }

        var ended = started with { EndedAt = time.GetUtcNow(), Failure = failure };
        lock (_gate)
        {
            _current = ended;
        }

        try
        {
            await RecordAsync(new ProjectionRebuildEnded(started.Projection, started.OperatorId, failure, ended.EndedAt!.Value), CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning("The end of the rebuild of {Projection} was not recorded: {Reason}", started.Projection, Faults.Describe(ex));
        }
    }

    private async Task RecordAsync(object @event, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Events.Append("projection-rebuilds", @event);
        await session.SaveChangesAsync(ct);
    }
}

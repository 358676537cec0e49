using JasperFx.Events.Daemon;
using Marten;

namespace EventLedger.Hosting;

/// <summary>This process among the switch's nodes: a new identity at every start.</summary>
public sealed class NodeIdentity(TimeProvider time)
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();
}

/// <summary>
/// One switch process as the others see it, refreshed every <see cref="SwitchOptions.NodeHeartbeatMs"/>.
/// A node not seen for <see cref="SwitchOptions.NodeStaleAfterMs"/> is dead: the advices it had
/// queued are taken over by a live node (<c>StoreAndForward/OverdueSweeper</c>).
/// </summary>
public sealed class SwitchNode
{
    public string Id { get; set; } = "";
    public string Host { get; set; } = "";
    public int ProcessId { get; set; }
    public bool Clustered { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>Projection shards running in this node at its last heartbeat: one node runs them all.</summary>
    public int ProjectionShards { get; set; }

    /// <summary>Set by a node that stopped cleanly, so the others need not wait for it to go stale.</summary>
    public bool Stopped { get; set; }

    public bool IsAlive(DateTimeOffset now, SwitchOptions options) =>
        !Stopped && now - LastSeenAt < TimeSpan.FromMilliseconds(options.NodeStaleAfterMs);
}

/// <summary>Keeps this node's <see cref="SwitchNode"/> fresh, and marks it stopped on a clean stop.</summary>
public sealed class NodeHeartbeat(
    IDocumentStore store, NodeIdentity node, SwitchOptions options, IProjectionCoordinator projections, TimeProvider time,
    ILogger<NodeHeartbeat> logger) : BackgroundService
{
    /// <summary>How long a node's record is kept after it was last seen.</summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(1);

    /// <summary>The live nodes' ids, this one included.</summary>
    public static async Task<IReadOnlyList<string>> LiveAsync(IQuerySession session, SwitchOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var seenSince = now - TimeSpan.FromMilliseconds(options.NodeStaleAfterMs);
        return await session.Query<SwitchNode>().Where(n => !n.Stopped && n.LastSeenAt > seenSince).Select(n => n.Id).ToListAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Node heartbeat", TimeSpan.FromMilliseconds(options.NodeHeartbeatMs), ct => BeatAsync(stopped: false, ct),
            logger, time, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await BeatAsync(stopped: true, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The others then wait for this node to go stale instead.
            logger.LogWarning("Node {Node} could not record its stop: {Reason}", node.Id, Faults.Describe(ex));
        }
    }

    private async Task BeatAsync(bool stopped, CancellationToken ct)
    {
        var shards = projections.DaemonForMainDatabase().CurrentAgents().Count(a => a.Status == JasperFx.AgentStatus.Running);
        var now = time.GetUtcNow();
        await using var session = store.LightweightSession();
        var forgotten = now - Remembered;
        session.DeleteWhere<SwitchNode>(n => n.LastSeenAt < forgotten);
        session.Store(new SwitchNode
        {
            Id = node.Id, Host = Environment.MachineName, ProcessId = Environment.ProcessId, Clustered = options.Clustered,
            StartedAt = node.StartedAt, LastSeenAt = now, ProjectionShards = stopped ? 0 : shards, Stopped = stopped,
        });
        await session.SaveChangesAsync(ct);
    }
}

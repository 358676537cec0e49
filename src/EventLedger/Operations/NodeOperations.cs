using EventLedger.Hosting;
using Marten;
using Wolverine.Http;

namespace EventLedger.Operations;

/// <summary>One switch node as operators see it.</summary>
public sealed record NodeView(
    string Id, string Host, int ProcessId, bool Clustered, DateTimeOffset StartedAt, DateTimeOffset LastSeenAt, bool Alive, int ProjectionShards);

/// <summary>The switch's nodes: which are alive, and which one runs the projections.</summary>
public static class NodeOperations
{
    [WolverineGet("/ops/v1/nodes", OperationId = "listNodes")]
    public static async Task<IResult> List(HttpContext context, IDocumentStore store, SwitchOptions options, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var since = now - NodeHeartbeat.Remembered;
        await using var session = store.QuerySession();
        var nodes = await session.Query<SwitchNode>().Where(n => n.LastSeenAt > since).OrderByDescending(n => n.LastSeenAt)
            .Take(AdviceOperations.MaxPageSize).ToListAsync(context.RequestAborted);
        return Results.Json(nodes.Select(n => new NodeView(
            n.Id, n.Host, n.ProcessId, n.Clustered, n.StartedAt, n.LastSeenAt, n.IsAlive(now, options), n.IsAlive(now, options) ? n.ProjectionShards : 0)),
            AdviceOperations.Json);
    }
}

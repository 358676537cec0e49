using EventLedger.Hosting;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EventLedger.OperatorConsole.Pages;

/// <summary>One projection shard: how far it has applied the events, how far behind it is, whether this node runs it.</summary>
public sealed record ShardRow(string Shard, string Projection, long Sequence, long Lag, bool RunningHere);

public sealed class ProjectionsModel(IDocumentStore store, ProjectionLag lag, ProjectionRebuilds rebuilds) : PageModel
{
    public IReadOnlyList<ShardRow> Shards { get; private set; } = [];

    public RebuildState? Rebuild => rebuilds.Current;

    public long Progress { get; private set; }

    public int Percent => Rebuild is { TargetSequence: > 0 } rb ? (int)Math.Min(100, Progress * 100 / rb.TargetSequence) : 100;

    public string? Outcome { get; private set; }

    public bool Refused { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostAsync(string projection)
    {
        if (!User.Can(Operations.OperatorRole.Operator))
        {
            return Forbid();
        }

        var refusal = await rebuilds.StartAsync(projection, User.OperatorId(), HttpContext.RequestAborted);
        Refused = refusal is not null;
        Outcome = refusal is null ? $"Rebuild of {projection} started." : "Not started: " + refusal + ".";
        Response.StatusCode = refusal is null ? 200 : 409;
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var progress = await store.Advanced.AllProjectionProgress(token: HttpContext.RequestAborted);
        var behind = await lag.ReadAsync(HttpContext.RequestAborted);
        var here = rebuilds.RunningHere();
        // A shard that has applied nothing yet has no progress row; one this node runs is listed all the same.
        var applied = progress.Where(p => p.ShardName != "HighWaterMark").ToDictionary(p => p.ShardName, p => p.Sequence);
        Shards = [.. applied.Keys.Union(rebuilds.ShardsHere()).Order(StringComparer.Ordinal).Select(shard =>
        {
            var projection = shard.Split(':')[0];
            return new ShardRow(shard, projection, applied.GetValueOrDefault(shard), behind.GetValueOrDefault(shard), here.Contains(projection));
        })];
        if (Rebuild is { Running: true } running)
        {
            Progress = progress.Where(p => p.ShardName.Split(':')[0] == running.Projection).Select(p => p.Sequence).DefaultIfEmpty(0).Max();
        }
    }
}

using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EventLedger.Hosting;

/// <summary>
/// How far the asynchronous projections trail the event store (events not yet applied), read
/// periodically: exposed as the gauge <c>eventledger.projection.lag</c> and in readiness.
/// </summary>
public sealed class ProjectionLag : BackgroundService
{
    public const string MeterName = "EventLedger.Projections";

    /// <summary>Lag, in events, past which readiness reports Degraded.</summary>
    public const long DegradedAfterEvents = 1_000;

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(2);
    private readonly IDocumentStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<ProjectionLag> _logger;
    private readonly Meter _meter;
    private volatile IReadOnlyDictionary<string, long> _lag = new Dictionary<string, long>();

    public ProjectionLag(IDocumentStore store, IMeterFactory meters, TimeProvider time, ILogger<ProjectionLag> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("eventledger.projection.lag",
            () => _lag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("projection", l.Key))),
            unit: "{event}", description: "Events appended but not yet applied by each asynchronous projection");
    }

    public IReadOnlyDictionary<string, long> Current => _lag;

    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken ct)
    {
        // The sequence's last value, not Marten's event store statistics: those count every event
        // and stream, a scan that grows with the ledger (docs/benchmarks.md, profile).
        await using var session = _store.QuerySession();
        var appended = (await session.AdvancedSql.QueryAsync<long>(
            LedgerSql.LastEventSequence, ct)).Single();
        var progress = await _store.Advanced.AllProjectionProgress(token: ct);
        return progress
            .Where(p => p.ShardName != "HighWaterMark")
            .ToDictionary(p => p.ShardName, p => Math.Max(0, appended - p.Sequence));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Projection lag", Period, async ct => _lag = await ReadAsync(ct), _logger, _time, stoppingToken);

    public override void Dispose()
    {
        _meter.Dispose();
        base.Dispose();
    }
}

/// <summary>Readiness reports projections trailing by more than <see cref="ProjectionLag.DegradedAfterEvents"/>.</summary>
public sealed class ProjectionLagHealthCheck(ProjectionLag lag) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var behind = lag.Current.Where(l => l.Value > ProjectionLag.DegradedAfterEvents).ToList();
        return Task.FromResult(behind.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("projections behind: " + string.Join(", ", behind.Select(b => $"{b.Key} by {b.Value} events"))));
    }
}

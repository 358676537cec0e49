using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EventLedger.StoreAndForward;

/// <summary>How many advices wait for one provider, and for how long the oldest has.</summary>
public sealed record ProviderBacklog(string ProviderId, long Pending, double OldestAgeSeconds);

/// <summary>
/// Store-and-forward metrics (meter <c>EventLedger.StoreAndForward</c>, scraped at <c>/metrics</c>):
/// attempts, acknowledgements and refusals as counters; pending count and oldest pending age per
/// provider as gauges read from the last backlog snapshot.
/// </summary>
public sealed class AdviceMetrics : IDisposable
{
    public const string MeterName = "EventLedger.StoreAndForward";

    private readonly Meter _meter;
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _acknowledged;
    private readonly Counter<long> _refused;
    private volatile IReadOnlyList<ProviderBacklog> _backlog = [];

    public AdviceMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _attempts = _meter.CreateCounter<long>("eventledger.advice.attempts", description: "Delivery attempts to providers");
        _acknowledged = _meter.CreateCounter<long>("eventledger.advice.acknowledged", description: "Advices a provider acknowledged");
        _refused = _meter.CreateCounter<long>("eventledger.advice.refused", description: "Advices a provider refused with a final answer");
        _meter.CreateObservableGauge("eventledger.advices.pending",
            () => _backlog.Select(b => new Measurement<long>(b.Pending, new KeyValuePair<string, object?>("provider", b.ProviderId))),
            description: "Advices not yet acknowledged");
        _meter.CreateObservableGauge("eventledger.advices.oldest_pending_age", 
            () => _backlog.Select(b => new Measurement<double>(b.OldestAgeSeconds, new KeyValuePair<string, object?>("provider", b.ProviderId))),
            unit: "s", description: "Age of the oldest advice not yet acknowledged");
    }

    public IReadOnlyList<ProviderBacklog> Backlog => _backlog;

    public void Attempted(string provider) => _attempts.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Acknowledged(string provider) => _acknowledged.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Refused(string provider) => _refused.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Update(IReadOnlyList<ProviderBacklog> backlog) => _backlog = backlog;

    public void Dispose() => _meter.Dispose();
}

/// <summary>Refreshes the backlog snapshot from the database on a fixed period.</summary>
public sealed class BacklogMonitor(
    Hosting.LedgerDatabase database, AdviceMetrics metrics, StoreAndForwardOptions options, TimeProvider time,
    ILogger<BacklogMonitor> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Hosting.BackgroundLoop.RunAsync("Advice backlog monitor", TimeSpan.FromMilliseconds(options.BacklogRefreshMs),
            async ct => metrics.Update(await ReadAsync(ct)), logger, time, stoppingToken);

    public async Task<IReadOnlyList<ProviderBacklog>> ReadAsync(CancellationToken ct)
    {
        // One aggregate over the indexed status, not every pending delivery loaded to count it.
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Hosting.LedgerSql.PendingDeliveriesByProvider, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var now = time.GetUtcNow();
        var backlog = new List<ProviderBacklog>();
        while (await reader.ReadAsync(ct))
        {
            var oldest = reader.GetFieldValue<DateTimeOffset>(2);
            backlog.Add(new ProviderBacklog(reader.GetString(0), reader.GetInt64(1), Math.Max(0, (now - oldest).TotalSeconds)));
        }

        return backlog;
    }
}

/// <summary>Readiness reports (as Degraded, so a dead provider does not take the switch out of rotation) advices pending past the alarm age.</summary>
public sealed class AdviceBacklogHealthCheck(AdviceMetrics metrics, StoreAndForwardOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var late = metrics.Backlog.Where(b => b.OldestAgeSeconds > options.AlarmAgeSeconds).ToList();
        return Task.FromResult(late.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded(
                "advices pending longer than " + options.AlarmAgeSeconds + " s: " +
                string.Join(", ", late.Select(b => $"{b.ProviderId} ({b.Pending} pending, oldest {b.OldestAgeSeconds:0} s)"))));
    }
}

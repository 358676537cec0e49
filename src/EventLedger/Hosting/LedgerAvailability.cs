using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EventLedger.Hosting;

/// <summary>
/// Whether the ledger database can be reached, as one fact the whole switch shares: probed every
/// second while it is away and every <see cref="UpProbePeriod"/> while it answers, and marked away at
/// once when a request meets the fault. Each change is logged once, with how long the outage lasted;
/// requests, readiness and the start-up gate read it instead of each discovering the outage alone.
/// </summary>
public sealed class LedgerAvailability(LedgerDatabase database, TimeProvider time, ILogger<LedgerAvailability> logger) : BackgroundService
{
    /// <summary>Longest a probe waits for the database before calling it unavailable.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How often the database is probed while it is away: the switch serves again at most this long after it returns.</summary>
    public static readonly TimeSpan DownProbePeriod = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan UpProbePeriod = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Lazy<string> _probeConnectionString =
        new(() => new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);

    private DateTimeOffset? _downSince;
    private bool _unreachableAtStart;
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _everUp;

    /// <summary>True while the database is believed reachable.</summary>
    public bool IsAvailable
    {
        get
        {
            lock (_gate)
            {
                return _everUp && _downSince is null;
            }
        }
    }

    /// <summary>What readiness says about the database.</summary>
    public string? Unavailability
    {
        get
        {
            lock (_gate)
            {
                return !_everUp ? "ledger database not reached yet"
                    : _downSince is { } since ? $"ledger database unreachable since {since:O}" : null;
            }
        }
    }

    /// <summary>A request or background step met the database's absence: believe it now rather than at the next probe.</summary>
    public void Report(Exception fault)
    {
        if (Faults.IsDatabaseUnavailable(fault))
        {
            MarkDown(Faults.Describe(fault));
        }
    }

    /// <summary>Completes once the database has answered a probe (at once if it does now).</summary>
    public Task WaitUntilAvailableAsync(CancellationToken ct)
    {
        lock (_gate)
        {
            return _everUp && _downSince is null ? Task.CompletedTask : _up.Task.WaitAsync(ct);
        }
    }

    /// <summary>
    /// One probe: a fresh connection of its own (not from the pool, so that a pool drained by load
    /// is never taken for an outage) running <c>select 1</c> within <see cref="ProbeTimeout"/>. Any
    /// failure counts as the database being away, whatever its type (a password refused during a
    /// failover, a TLS error): the probe must never fail the loop that runs it.
    /// </summary>
    public async Task<bool> ProbeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            await using var connection = new NpgsqlConnection(_probeConnectionString.Value);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand(LedgerSql.Ping, connection);
            await command.ExecuteScalarAsync(timeout.Token);
            MarkUp();
            return true;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            MarkDown(ex is OperationCanceledException ? $"no answer within {ProbeTimeout.TotalSeconds:0} s" : Faults.Describe(ex));
            return false;
        }
    }



    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var up = await ProbeAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(up ? UpProbePeriod : DownProbePeriod, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void MarkUp()
    {
        lock (_gate)
        {
            if (_everUp && _downSince is null)
            {
                return;
            }

            if (_downSince is { } since)
            {
                logger.LogWarning("Ledger database reachable again after {Seconds:0.0} s; serving", (time.GetUtcNow() - since).TotalSeconds);
            }
            else if (!_everUp && _unreachableAtStart)
            {
                logger.LogWarning("Ledger database reachable; starting");
            }

            _everUp = true;
            _downSince = null;
            _up.TrySetResult();
        }
    }

    private void MarkDown(string reason)
    {
        lock (_gate)
        {
            if (!_everUp)
            {
                if (!_unreachableAtStart)
                {
                    _unreachableAtStart = true;
                    logger.LogWarning("Waiting for the ledger database ({Reason}); the switch starts once it answers", reason);
                }

                return;
            }

            if (_downSince is not null)
            {
                return;
            }

            _downSince = time.GetUtcNow();
            _up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            logger.LogWarning("Ledger database unreachable ({Reason}); SUV and operations requests answer 503 until it returns", reason);
        }
    }
}

/// <summary>Readiness: not ready while the ledger database is away, since nothing can be recorded without it.</summary>
public sealed class LedgerHealthCheck(LedgerAvailability availability) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(availability.Unavailability is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
}

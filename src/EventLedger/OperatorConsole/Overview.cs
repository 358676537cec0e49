using EventLedger.Hosting;
using EventLedger.Redemptions;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace EventLedger.OperatorConsole;

/// <summary>Advices of one provider in one delivery status, and how long the oldest has waited.</summary>
public sealed record BacklogRow(string Provider, string Status, long Count, TimeSpan OldestAge);

/// <summary>Everything the overview shows, read at once. Parts the database could not give are empty, and <see cref="DatabaseFault"/> says why.</summary>
public sealed record OverviewData(
    HealthStatus Readiness, IReadOnlyList<(string Check, string Status, string? Description)> Checks, bool DatabaseAvailable, string? DatabaseFault,
    IReadOnlyDictionary<string, long> ProjectionLag, IReadOnlyList<BacklogRow> Backlog, IReadOnlyList<Bar> PerMinute,
    IReadOnlyList<RedemptionView> RecentFailures, DateTimeOffset At);

/// <summary>
/// Reads the overview. It is the page an operator opens during an outage, so a database that is
/// away is shown as such (readiness, the reason) rather than turning the page into an error.
/// </summary>
public sealed class Overview(
    HealthCheckService health, LedgerAvailability availability, ProjectionLag lag, LedgerDatabase database, IDocumentStore store,
    ConsoleOptions options, TimeProvider time)
{
    /// <summary>Failures listed: the newest this many.</summary>
    public const int RecentFailureCount = 10;

    public async Task<OverviewData> ReadAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), ct);
        var checks = report.Entries.Select(e => (e.Key, e.Value.Status.ToString(), e.Value.Description)).ToList();
        IReadOnlyList<BacklogRow> backlog = [];
        IReadOnlyList<Bar> perMinute = [];
        IReadOnlyList<RedemptionView> failures = [];
        string? fault = availability.IsAvailable ? null : availability.Unavailability ?? "unavailable";
        if (fault is null)
        {
            try
            {
                backlog = await BacklogAsync(now, ct);
                perMinute = await PerMinuteAsync(now, ct);
                failures = await FailuresAsync(now, ct);
            }
            catch (Exception ex) when (Faults.IsDatabaseUnavailable(ex))
            {
                availability.Report(ex);
                fault = Faults.Describe(ex);
            }
        }

        return new OverviewData(report.Status, checks, fault is null, fault, lag.Current, backlog, perMinute, failures, now);
    }

    private async Task<IReadOnlyList<BacklogRow>> BacklogAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(LedgerSql.DeliveryBacklog, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<BacklogRow>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new BacklogRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), now - reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    /// <summary>One bar per minute of the charted hours, zero where none came.</summary>
    private async Task<IReadOnlyList<Bar>> PerMinuteAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = Minute(now).AddHours(-options.ChartHours);
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(LedgerSql.RedemptionsPerMinute, connection);
        command.Parameters.AddWithValue("since", since);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new Dictionary<DateTimeOffset, long>();
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetFieldValue<DateTimeOffset>(0)] = reader.GetInt64(1);
        }

        var minutes = (int)(Minute(now) - since).TotalMinutes + 1;
        return Enumerable.Range(0, minutes).Select(i => since.AddMinutes(i))
            .Select(m => new Bar(m.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), counts.GetValueOrDefault(m))).ToList();
    }

    private async Task<IReadOnlyList<RedemptionView>> FailuresAsync(DateTimeOffset now, CancellationToken ct)
    {
        var since = now.AddHours(-options.ChartHours);
        await using var session = store.QuerySession();
        return await session.Query<RedemptionView>()
            .Where(v => v.RequestedAt >= since && (v.Status == TransactionStatus.Declined || v.Status == TransactionStatus.NotSent || v.Status == TransactionStatus.Unknown))
            .OrderByDescending(v => v.RequestedAt).Take(RecentFailureCount).ToListAsync(ct);
    }

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.UtcDateTime.Year, t.UtcDateTime.Month, t.UtcDateTime.Day, t.UtcDateTime.Hour, t.UtcDateTime.Minute, 0, TimeSpan.Zero);
}

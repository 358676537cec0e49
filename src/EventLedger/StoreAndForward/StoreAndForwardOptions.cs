namespace EventLedger.StoreAndForward;

/// <summary>How advices are retried towards providers (section <c>StoreAndForward</c>).</summary>
public sealed class StoreAndForwardOptions : Hosting.ICheckedSettings
{
    public const string Section = "StoreAndForward";

    /// <summary>Delay before the second attempt; each later one doubles, up to the ceiling.</summary>
    public int FirstRetryDelayMs { get; set; } = 1_000;

    /// <summary>Longest delay between attempts. Retries never stop: past this they continue at this pace.</summary>
    public int MaxRetryDelayMs { get; set; } = 60_000;

    /// <summary>Most advices in flight to one provider at once; providers never share these slots.</summary>
    public int MaxParallelPerProvider { get; set; } = 8;

    /// <summary>An advice still pending after this long is flagged: readiness degrades and operators are told.</summary>
    public int AlarmAgeSeconds { get; set; } = 300;

    /// <summary>How often the backlog gauges (pending count, oldest age) are refreshed from the database.</summary>
    public int BacklogRefreshMs { get; set; } = 5_000;

    /// <summary>How often scheduled retries (and those of a crashed node) are looked for in the database.</summary>
    public int ScheduledPollingMs { get; set; } = 1_000;

    /// <summary>
    /// A pending advice whose next attempt is this far overdue has lost its message (a crash at
    /// the wrong moment): the sweeper queues it again. Longer than any provider timeout.
    /// </summary>
    public int OverdueAfterMs { get; set; } = 300_000;

    /// <summary>How often the sweeper looks for overdue advices.</summary>
    public int SweepIntervalMs { get; set; } = 10_000;

    /// <summary>Most overdue advices re-queued in one sweep.</summary>
    public int SweepBatch { get; set; } = 500;

    public void Check()
    {
        if (FirstRetryDelayMs < 10 || MaxRetryDelayMs < FirstRetryDelayMs || MaxRetryDelayMs > 3_600_000)
        {
            throw new Hosting.StartupException("StoreAndForward: FirstRetryDelayMs must be ≥ 10 and ≤ MaxRetryDelayMs, which must be ≤ 3600000.");
        }

        if (OverdueAfterMs < 1_000 || SweepIntervalMs < 100 || SweepBatch is < 1 or > 10_000)
        {
            throw new Hosting.StartupException("StoreAndForward: OverdueAfterMs ≥ 1000, SweepIntervalMs ≥ 100, SweepBatch 1..10000.");
        }

        if (MaxParallelPerProvider is < 1 or > 256 || AlarmAgeSeconds < 1 || BacklogRefreshMs < 100 || ScheduledPollingMs < 50)
        {
            throw new Hosting.StartupException("StoreAndForward: MaxParallelPerProvider 1..256, AlarmAgeSeconds ≥ 1, BacklogRefreshMs ≥ 100, ScheduledPollingMs ≥ 50.");
        }
    }
}

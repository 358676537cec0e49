namespace EventLedger.Hosting;

/// <summary>
/// The one way the switch runs periodic work (monitors, recovery, sweeps). A step may fail with
/// any exception: the loop keeps going, backs off while it fails, and logs once when it starts
/// failing (or fails differently) and once when it recovers, never once per attempt. Only the
/// host stopping ends it. A background service that let an exception escape would stop the whole
/// switch (the host's default) or, configured otherwise, silently stop its own work.
/// </summary>
public static class BackgroundLoop
{
    /// <summary>
    /// Longest pause between attempts while a step keeps failing (or the interval, if longer).
    /// Short, so that work resumes within seconds of the database's return.
    /// </summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    /// <param name="name">What the step does, for the log: "projection lag", "advice sweep".</param>
    /// <param name="interval">Pause after a step that succeeded.</param>
    /// <param name="step">One round of work; returns when done.</param>
    public static Task RunAsync(
        string name, TimeSpan interval, Func<CancellationToken, Task> step, ILogger logger, TimeProvider time, CancellationToken stopping) =>
        LoopAsync(name, interval, step, logger, time, untilDone: false, stopping);

    /// <summary>Runs a step until it succeeds once, failing and logging as <see cref="RunAsync"/> does.</summary>
    public static Task UntilDoneAsync(string name, Func<CancellationToken, Task> step, ILogger logger, TimeProvider time, CancellationToken stopping) =>
        LoopAsync(name, TimeSpan.FromSeconds(1), step, logger, time, untilDone: true, stopping);

    private static async Task LoopAsync(
        string name, TimeSpan interval, Func<CancellationToken, Task> step, ILogger logger, TimeProvider time, bool untilDone, CancellationToken stopping)
    {
        var failures = 0;
        string? failingWith = null;
        while (!stopping.IsCancellationRequested)
        {
            var pause = interval;
            try
            {
                await step(stopping);
                if (failures > 0)
                {
                    logger.LogInformation("{Loop} works again after {Failures} failed attempts", name, failures);
                }

                if (untilDone)
                {
                    return;
                }

                failures = 0;
                failingWith = null;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                failures++;
                pause = Backoff(interval, failures);
                // One line per change: a database outage is one state whatever each attempt reports.
                var reason = Faults.IsDatabaseUnavailable(ex) ? "database unavailable" : Faults.Describe(ex);
                if (reason != failingWith)
                {
                    failingWith = reason;
                    Report(logger, name, ex, pause);
                }
            }

            try
            {
                await Task.Delay(pause, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Doubles the pause per consecutive failure, from the interval up to <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures)
    {
        var doubled = interval.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16));
        return TimeSpan.FromMilliseconds(Math.Min(doubled, Math.Max(interval.TotalMilliseconds, MaxBackoff.TotalMilliseconds)));
    }

    private static void Report(ILogger logger, string name, Exception ex, TimeSpan pause)
    {
        var reason = Faults.Describe(ex);
        if (Faults.IsDatabaseUnavailable(ex))
        {
            // The database availability monitor says the rest; this only names what waits.
            logger.LogWarning("{Loop} paused: the ledger database is unavailable ({Reason}); retrying", name, reason);
            return;
        }

        // Not a known fault: the stack trace is worth having, once.
        logger.LogError(ex, "{Loop} failed ({Reason}); retrying in {Pause}", name, reason, pause);
    }
}

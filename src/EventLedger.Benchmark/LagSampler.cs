using HdrHistogram;
using EventLedger.LoadGenerator;

namespace EventLedger.Benchmark;

/// <summary>Samples the redemption view's lag from the database while a load run is measuring.</summary>
public static class LagSampler
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Samples from <paramref name="after"/> (the warm-up) until <paramref name="running"/> ends.</summary>
    public static async Task<LagResult> DuringAsync(LedgerProbe probe, Scenario scenario, int concurrency, TimeSpan after, Task running)
    {
        var histogram = new LongHistogram(1, 3_600_000_000, 3);
        await Task.WhenAny(running, Task.Delay(after));
        while (!running.IsCompleted)
        {
            var lagMs = await probe.ProjectionLagMsAsync(CancellationToken.None);
            histogram.RecordValue(Math.Clamp((long)(lagMs * 1000), 1, 3_600_000_000));
            await Task.WhenAny(running, Task.Delay(Interval));
        }

        static double Ms(long micros) => micros / 1000.0;
        return new LagResult(scenario.ToString().ToLowerInvariant(), concurrency, histogram.TotalCount,
            histogram.TotalCount == 0 ? 0 : Ms(histogram.GetValueAtPercentile(50)),
            histogram.TotalCount == 0 ? 0 : Ms(histogram.GetValueAtPercentile(99)),
            histogram.TotalCount == 0 ? 0 : Ms(histogram.GetMaxValue()));
    }
}

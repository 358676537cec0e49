using System.Globalization;
using System.Text.Json;
using HdrHistogram;

namespace EventLedger.LoadGenerator;

/// <summary>Throughput and latency (milliseconds) of one operation over the measured period.</summary>
public sealed record OperationResult(string Operation, long Count, double PerSecond, double P50, double P90, double P99, double P999, double Max);

public sealed record LoadResult(
    string Scenario, string Mode, int Concurrency, double? Rate, double MeasuredSeconds, IReadOnlyList<OperationResult> Operations,
    IReadOnlyDictionary<string, long> Errors, DateTimeOffset At);

public static class Report
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static LoadResult Build(LoadOptions options, Recorder recorder, TimeSpan measured) => new(
        options.Scenario.ToString().ToLowerInvariant(),
        options.Rate is null ? "closed" : "open",
        options.Concurrency,
        options.Rate,
        measured.TotalSeconds,
        recorder.Histograms.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => Result(h.Key, h.Value, measured)).ToList(),
        recorder.Errors.ToDictionary(),
        DateTimeOffset.UtcNow);

    public static string Table(LoadResult result)
    {
        var lines = new List<string>
        {
            $"{result.Scenario} ({result.Mode} loop, concurrency {result.Concurrency}{(result.Rate is { } r ? $", rate {r}/s" : "")}, {result.MeasuredSeconds:0.0} s measured)",
            $"{"operation",-22} {"count",9} {"per s",9} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"p99.9 ms",9} {"max ms",8}",
        };
        lines.AddRange(result.Operations.Select(o =>
            string.Create(CultureInfo.InvariantCulture,
                $"{o.Operation,-22} {o.Count,9} {o.PerSecond,9:0.0} {o.P50,8:0.00} {o.P90,8:0.00} {o.P99,8:0.00} {o.P999,9:0.00} {o.Max,8:0.00}")));
        lines.AddRange(result.Errors.Select(e => $"error {e.Key}: {e.Value}"));
        return string.Join(Environment.NewLine, lines);
    }

    private static OperationResult Result(string operation, LongHistogram histogram, TimeSpan measured)
    {
        static double Ms(long micros) => micros / 1000.0;
        return new OperationResult(operation, histogram.TotalCount, histogram.TotalCount / Math.Max(measured.TotalSeconds, 0.001),
            Ms(histogram.GetValueAtPercentile(50)), Ms(histogram.GetValueAtPercentile(90)), Ms(histogram.GetValueAtPercentile(99)),
            Ms(histogram.GetValueAtPercentile(99.9)), Ms(histogram.GetMaxValue()));
    }
}

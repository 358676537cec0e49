using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace EventLedger.LoadGenerator;

/// <summary>Latency per operation (HdrHistogram, microseconds, 1 µs to 1 min at 3 significant digits) and errors by status and type.</summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, (LongHistogram Histogram, Lock Gate)> _latency = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private long _completed;

    public bool Recording { get; set; }

    public long Completed => Interlocked.Read(ref _completed);

    public void Record(string operation, long startTimestamp)
    {
        if (!Recording)
        {
            return;
        }

        var micros = (long)Stopwatch.GetElapsedTime(startTimestamp).TotalMicroseconds;
        var (histogram, gate) = _latency.GetOrAdd(operation, _ => (new LongHistogram(1, 60_000_000, 3), new Lock()));
        lock (gate)
        {
            histogram.RecordValue(Math.Clamp(micros, 1, 60_000_000));
        }

        if (operation.StartsWith("scenario:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _completed);
        }
    }

    public void Error(string operation, int status, string? errorType)
    {
        if (Recording)
        {
            _errors.AddOrUpdate($"{operation} {status} {errorType ?? "-"}", 1, (_, n) => n + 1);
        }
    }

    public IReadOnlyDictionary<string, long> Errors => _errors;

    public IReadOnlyDictionary<string, LongHistogram> Histograms => _latency.ToDictionary(p => p.Key, p => p.Value.Histogram);
}

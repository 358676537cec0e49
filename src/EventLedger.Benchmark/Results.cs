using EventLedger.LoadGenerator;

namespace EventLedger.Benchmark;

public sealed record Machine(string Cpu, int Cores, string Memory, string Os, string Dotnet, string Postgres);

/// <summary>How stale the redemption view was while a scenario ran, sampled every <see cref="LagSampler.Interval"/>.</summary>
public sealed record LagResult(string Scenario, int Concurrency, long Samples, double P50Ms, double P99Ms, double MaxMs);

/// <summary>Advices piled up behind a provider answering 503, then delivered once it recovered.</summary>
public sealed record DrainResult(int Advices, double PileUpSeconds, double DrainSeconds, double AdvicesPerSecond, int RetryCapMs);

/// <summary>A full rebuild of the redemption view by the switch's own <c>projections rebuild</c> command.</summary>
public sealed record RebuildResult(long Events, double CommandSeconds, double BootSeconds, double EventsPerSecond);

/// <summary>The day's totals as finance reads them: every event of the day's redemptions, read, hashed and folded per request.</summary>
public sealed record FinanceResult(int Reads, long Events, double MedianSeconds, double EventsPerSecond);

public sealed record StartResult(string When, double FirstRedemptionMs);

public sealed record BenchmarkResult(
    DateTimeOffset At,
    string Command,
    bool Smoke,
    Machine Machine,
    int JitWarmupSeconds,
    int WarmupSeconds,
    int MeasureSeconds,
    IReadOnlyList<BaselineResult> Baseline,
    IReadOnlyList<LoadResult> Switch,
    IReadOnlyList<LagResult> ProjectionLag,
    DrainResult Drain,
    RebuildResult Rebuild,
    FinanceResult Finance,
    IReadOnlyList<StartResult> Starts,
    IReadOnlyList<StatementStats> TopStatements)
{
    /// <summary>Every part measured something: the smoke run's only assertion.</summary>
    public IReadOnlyList<string> Missing() =>
    [
        .. Baseline.Where(b => b.Transactions == 0).Select(b => $"baseline at {b.Clients} clients ran no transaction"),
        .. Switch.Where(s => !s.Operations.Any(o => o.Operation.StartsWith("scenario:", StringComparison.Ordinal) && o.Count > 0))
            .Select(s => $"{s.Scenario} at {s.Concurrency} completed nothing"),
        .. ProjectionLag.Where(l => l.Samples == 0).Select(l => $"no projection lag sample during {l.Scenario} at {l.Concurrency}"),
        .. Drain.Advices == 0 ? ["no advice was drained"] : Array.Empty<string>(),
        .. Rebuild.Events == 0 ? ["the rebuild saw no event"] : Array.Empty<string>(),
        .. Finance.Events == 0 ? ["the day's totals read no event"] : Array.Empty<string>(),
        .. Starts.Count == 0 ? ["no start was measured"] : Array.Empty<string>(),
    ];
}

using System.Globalization;
using EventLedger.LoadGenerator;

namespace EventLedger.Benchmark;

/// <summary>What one benchmark run measures and for how long. The defaults are the documented full run.</summary>
public sealed record BenchmarkOptions
{
    public bool Smoke { get; init; }

    /// <summary>Concurrent clients (switch) and connections (pgbench) measured, in turn.</summary>
    public IReadOnlyList<int> Levels { get; init; } = [1, 8, 32, 64];

    public IReadOnlyList<Scenario> Scenarios { get; init; } = [Scenario.Full, Scenario.Reverse, Scenario.Lookup, Scenario.Mix];

    public int WarmupSeconds { get; init; } = 5;

    /// <summary>
    /// Unmeasured mixed load right after the switch starts, before any measured run: the JIT keeps
    /// recompiling hot code for over a minute (a fresh process did 83 full redemptions/s, the same
    /// process 145/s two runs later), and the first measured run should not pay for that.
    /// </summary>
    public int JitWarmupSeconds { get; init; } = 60;

    /// <summary>Measured seconds of each switch run and each pgbench run.</summary>
    public int MeasureSeconds { get; init; } = 20;

    /// <summary>Advices piled up while the provider answers 503, then drained.</summary>
    public int DrainAdvices { get; init; } = 10_000;

    /// <summary>Where benchmarks.json (and, for a full run, the results section of benchmarks.md) go.</summary>
    public string? OutDirectory { get; init; }

    /// <summary>Scratch space for the build, the database and logs; removed afterwards unless kept.</summary>
    public string? WorkDirectory { get; init; }

    public bool KeepWork { get; init; }

    /// <summary>A few seconds of everything, so CI knows the command still works; its figures mean nothing.</summary>
    public static BenchmarkOptions SmokeRun => new() { Smoke = true, Levels = [4], WarmupSeconds = 1, JitWarmupSeconds = 2, MeasureSeconds = 3, DrainAdvices = 200 };

    public static BenchmarkOptions Parse(string[] args)
    {
        var options = args.Contains("--smoke") ? SmokeRun : new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--smoke" => options,
                "--keep" => options with { KeepWork = true },
                "--levels" => options with { Levels = Value().Split(',').Select(l => Bounded(l, 1, LoadOptions.MaxConcurrency)).ToList() },
                "--scenarios" => options with { Scenarios = Value().Split(',').Select(s => Enum.Parse<Scenario>(s, ignoreCase: true)).ToList() },
                "--warmup" => options with { WarmupSeconds = Bounded(Value(), 0, 600) },
                "--jit-warmup" => options with { JitWarmupSeconds = Bounded(Value(), 0, 3_600) },
                "--seconds" => options with { MeasureSeconds = Bounded(Value(), 1, 3_600) },
                "--drain" => options with { DrainAdvices = Bounded(Value(), 1, 1_000_000) },
                "--out" => options with { OutDirectory = Path.GetFullPath(Value()) },
                "--work" => options with { WorkDirectory = Path.GetFullPath(Value()) },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }

    private static int Bounded(string text, int min, int max)
    {
        var value = int.Parse(text, CultureInfo.InvariantCulture);
        return value < min || value > max ? throw new ArgumentException($"{text} is outside {min}..{max}") : value;
    }
}

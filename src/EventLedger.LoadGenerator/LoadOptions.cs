using System.Globalization;

namespace EventLedger.LoadGenerator;

public enum Scenario
{
    /// <summary>Redeem, then confirm: dual messaging.</summary>
    Full,

    /// <summary>Redeem, then reverse.</summary>
    Reverse,

    /// <summary>lookupRedemption of redemptions made (and settled) before the run.</summary>
    Lookup,

    /// <summary>70 % full, 20 % reverse, 10 % lookup.</summary>
    Mix,
}

/// <summary>What to drive, how hard and for how long. Every limit is explicit; defaults are for a laptop-sized run.</summary>
public sealed record LoadOptions
{
    public const int MaxConcurrency = 1_024;
    public const int MaxDurationSeconds = 3_600;

    public Uri Switch { get; init; } = new("http://127.0.0.1:5080");
    public Uri Simulator { get; init; } = new("http://127.0.0.1:5090");
    public string ClientId { get; init; } = "22222222";
    public string ClientPassword { get; init; } = "demo";
    public string SimulatorUser { get; init; } = "33333333";
    public string SimulatorPassword { get; init; } = "simulator-demo-password";
    public Scenario Scenario { get; init; } = Scenario.Full;

    /// <summary>Closed loop: this many clients, each starting its next operation when the last ends.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Open loop when set: operations started per second whatever the answers' pace (up to Concurrency in flight).</summary>
    public double? Rate { get; init; }

    public int DurationSeconds { get; init; } = 20;
    public int WarmupSeconds { get; init; } = 3;

    /// <summary>Vouchers provisioned on the simulator before the run; each redemption spends one.</summary>
    public int Vouchers { get; init; } = 20_000;

    /// <summary>Redemptions made before a lookup run, then looked up in turn.</summary>
    public int LookupPool { get; init; } = 200;

    public string? JsonOut { get; init; }

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--switch" => options with { Switch = new Uri(value) },
                "--simulator" => options with { Simulator = new Uri(value) },
                "--client" => options with { ClientId = value },
                "--password" => options with { ClientPassword = value },
                "--simulator-user" => options with { SimulatorUser = value },
                "--simulator-password" => options with { SimulatorPassword = value },
                "--scenario" => options with { Scenario = Enum.Parse<Scenario>(value, ignoreCase: true) },
                "--concurrency" => options with { Concurrency = Bounded(value, 1, MaxConcurrency) },
                "--rate" => options with { Rate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { DurationSeconds = Bounded(value, 1, MaxDurationSeconds) },
                "--warmup" => options with { WarmupSeconds = Bounded(value, 0, MaxDurationSeconds) },
                "--vouchers" => options with { Vouchers = Bounded(value, 1, 10_000_000) },
                "--lookup-pool" => options with { LookupPool = Bounded(value, 1, 100_000) },
                "--json" => options with { JsonOut = value },
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

using CsCheck;
using EventLedger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EventLedger.Tests.Histories;

/// <summary>
/// Model-checked histories: CsCheck generates concurrent histories of redemptions, duplicates,
/// racing and repeated advices, reversals before their requests and lookups, with provider faults
/// per message; they run against the real switch and simulator over HTTP while the nemesis kills
/// the switch and stops PostgreSQL; each quiesced history is judged against the reference model
/// (<see cref="ReferenceModel"/>, <see cref="HistoryChecker"/>). A failure prints the seed and the
/// smallest failing history CsCheck found; <c>EVENTLEDGER_HISTORY_SEED</c> replays it.
/// </summary>
public sealed class HistoryTests(ITestOutputHelper output)
{
    private static string? Seed => Environment.GetEnvironmentVariable("EVENTLEDGER_HISTORY_SEED");

    /// <summary>The quick form, in every test run: a few hundred histories, one fault of each global kind.</summary>
    [Fact]
    public Task A_few_hundred_histories_with_faults_all_agree_with_the_model() =>
        RunAsync(histories: Count("EVENTLEDGER_HISTORIES", 300), threads: 8, nemesisEvery: TimeSpan.FromSeconds(8), nemesisRounds: 3);

    /// <summary>The long form (docs/reliability.md): ten thousand histories, a global fault every 20 s.</summary>
    [LongFact]
    public Task Ten_thousand_histories_with_faults_all_agree_with_the_model() =>
        RunAsync(histories: Count("EVENTLEDGER_HISTORIES", 10_000), threads: 12, nemesisEvery: TimeSpan.FromSeconds(20), nemesisRounds: int.MaxValue);

    private async Task RunAsync(int histories, int threads, TimeSpan nemesisEvery, int nemesisRounds)
    {
        await using var world = await HistoryWorld.StartAsync();
        var runner = new HistoryRunner(world);
        using var stop = new CancellationTokenSource();
        var nemesis = NemesisAsync(world, nemesisEvery, nemesisRounds, stop.Token);
        var started = DateTimeOffset.UtcNow;
        try
        {
            await HistorySpec.Gen.SampleAsync(runner.RunAsync, output.WriteLine, seed: Seed, iter: histories, threads: threads, print: h => h.ToString());
        }
        finally
        {
            await stop.CancelAsync();
            await nemesis;
            output.WriteLine($"{runner.Histories} histories ({runner.Calls} calls, {runner.InDoubt} answered in doubt and resent) in " +
                $"{(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min; provider faults: " +
                string.Join(", ", runner.ProviderFaults.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}")) +
                "; global faults: " + string.Join(", ", world.Faults.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}")));
        }

        world.SwitchIsRunning.Should().BeTrue("the switch only ever stops when the nemesis kills it");
        world.Faults.Values.Sum().Should().BeGreaterThan(0, "faults were injected");
        world.StackTraceLines.Should().BeEmpty(world.SwitchOutput);
    }

    /// <summary>Strikes the whole system in turn: the switch killed, PostgreSQL stopped fast, then immediately.</summary>
    private static async Task NemesisAsync(HistoryWorld world, TimeSpan every, int rounds, CancellationToken stop)
    {
        for (var round = 0; round < rounds; round++)
        {
            try
            {
                await Task.Delay(every, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            switch (round % 3)
            {
                case 0:
                    await world.KillSwitchAsync();
                    break;
                default:
                    await world.RestartPostgresAsync(immediate: round % 3 == 2, TimeSpan.FromSeconds(1));
                    break;
            }
        }
    }

    private static int Count(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var n) && n > 0 ? n : fallback;
}

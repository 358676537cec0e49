using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EventLedger.LoadGenerator;
using EventLedger.LocalPostgres;
using EventLedger.ProviderSimulator;
using Npgsql;

namespace EventLedger.Benchmark;

/// <summary>
/// One benchmark, in order: build, a private durable PostgreSQL, the pgbench baseline, the switch
/// under each scenario and concurrency (projection lag sampled alongside), a restart, the
/// store-and-forward drain and a full projection rebuild. Everything runs on this one machine.
/// </summary>
public sealed partial class BenchmarkRun(BenchmarkOptions options, Action<string> log)
{
    private const string LedgerDatabase = "eventledger";
    private const int DrainConcurrency = 32;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(15);

    public async Task<BenchmarkResult> RunAsync(string repository, string work, string command)
    {
        var build = await SwitchBuild.CreateAsync(repository, work, log);
        var bin = ServerBinaries();
        log("starting a private PostgreSQL: fsync on, synchronous_commit on");
        await using var postgres = await LocalPostgres.LocalPostgres.StartAsync(new LocalPostgresOptions(
            Path.Combine(work, "postgres"), 0, Durable: true, Settings: ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=top"]));

        var baseline = await BaselineAsync(postgres, Path.Combine(bin, "pgbench"), work);

        await postgres.EnsureDatabaseAsync(LedgerDatabase);
        var ledger = postgres.ConnectionString(LedgerDatabase);
        await ApplyMigrationsAsync(Path.Combine(bin, "psql"), Path.Combine(repository, "migrations"), ledger);
        var probe = new LedgerProbe(ledger);

        var simulatorPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var simulatorUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var simulator = Child.Start("dotnet", [build.SimulatorDll, "--urls", simulatorUrl.ToString()], new Dictionary<string, string>
        {
            [$"Simulator:Accounts:{SwitchUnderTest.SwitchInstitution}"] = simulatorPassword,
            ["Logging:LogLevel:Default"] = "Warning",
        }, Path.GetDirectoryName(build.SimulatorDll));
        await WaitUntilAsync(() => ListeningAsync(simulatorUrl), TimeSpan.FromSeconds(60), "the simulator to listen");

        var sut = new SwitchUnderTest(build, ledger, simulatorUrl, simulatorPassword);
        var starts = new List<StartResult>();
        var (running, firstMs) = await sut.StartAsync();
        starts.Add(new StartResult("first start, empty ledger", firstMs));
        log($"first redemption {firstMs:0} ms after the switch process started");

        await JitWarmupAsync(sut);
        await probe.ResetStatementsAsync(CancellationToken.None);
        var (loads, lags) = await LoadRunsAsync(sut, probe);
        var statements = await probe.TopStatementsAsync(12, CancellationToken.None);

        await running.StopAsync(TimeSpan.FromSeconds(30));
        (running, firstMs) = await sut.StartAsync();
        starts.Add(new StartResult("restart after the load runs", firstMs));
        log($"after a restart, first redemption {firstMs:0} ms after the process started");

        DrainResult drain;
        FinanceResult finance;
        await using (running)
        {
            drain = await DrainAsync(sut, probe, simulatorUrl);
            finance = await FinanceAsync(sut);
        }

        var rebuild = await RebuildAsync(sut, probe);
        return new BenchmarkResult(DateTimeOffset.UtcNow, command, options.Smoke, await MachineAsync(postgres), options.JitWarmupSeconds, options.WarmupSeconds, options.MeasureSeconds,
            baseline, loads, lags, drain, rebuild, finance, starts, statements);
    }

    private async Task<IReadOnlyList<BaselineResult>> BaselineAsync(LocalPostgres.LocalPostgres postgres, string pgbench, string work)
    {
        await postgres.EnsureDatabaseAsync(Baseline.Database);
        var connection = postgres.ConnectionString(Baseline.Database);
        await Baseline.PrepareAsync(connection);
        log("baseline: pgbench warm-up");
        await Baseline.RunAsync(pgbench, connection, options.Levels.Max(), Math.Max(options.WarmupSeconds, 1), Path.Combine(work, "warm-up"));
        var results = new List<BaselineResult>();
        foreach (var clients in options.Levels)
        {
            var result = await Baseline.RunAsync(pgbench, connection, clients, options.MeasureSeconds, work);
            log($"baseline: {clients} clients {result.Tps:0} tps, p50 {result.P50:0.00} ms, p99 {result.P99:0.00} ms");
            results.Add(result);
        }

        return results;
    }

    private async Task<(List<LoadResult> Loads, List<LagResult> Lags)> LoadRunsAsync(SwitchUnderTest sut, LedgerProbe probe)
    {
        var loads = new List<LoadResult>();
        var lags = new List<LagResult>();
        var fastest = 100.0;
        foreach (var scenario in options.Scenarios)
        {
            foreach (var concurrency in options.Levels)
            {
                await QuiesceAsync(probe);
                // Enough vouchers for twice the fastest pace seen so far: provisioning costs time too.
                var vouchers = scenario == Scenario.Lookup ? 0 : (int)(fastest * 2 * (options.WarmupSeconds + options.MeasureSeconds)) + 500;
                var load = sut.Load(scenario, concurrency, options, vouchers);
                var recorder = new Recorder();
                using var driver = new SuvDriver(load, recorder);
                var runner = new Runner(load, driver, recorder);
                await runner.PrepareAsync(CancellationToken.None);
                var run = runner.RunAsync(CancellationToken.None);
                var sampling = scenario is Scenario.Full or Scenario.Mix
                    ? LagSampler.DuringAsync(probe, scenario, concurrency, TimeSpan.FromSeconds(options.WarmupSeconds), run)
                    : null;
                var result = Report.Build(load, recorder, await run);
                loads.Add(result);
                log(Report.Table(result));
                if (sampling is not null)
                {
                    var lag = await sampling;
                    lags.Add(lag);
                    log($"projection lag: p50 {lag.P50Ms:0} ms, p99 {lag.P99Ms:0} ms, max {lag.MaxMs:0} ms ({lag.Samples} samples)");
                }

                if (scenario != Scenario.Lookup)
                {
                    fastest = Math.Max(fastest, result.Operations.Where(o => o.Operation.StartsWith("scenario:", StringComparison.Ordinal)).Sum(o => o.PerSecond));
                }
            }
        }

        return (loads, lags);
    }

    /// <summary>
    /// Each run starts from rest: advices a previous run left queued and events the view has not
    /// applied yet would otherwise be worked off during the next run and charged to it.
    /// </summary>
    private async Task QuiesceAsync(LedgerProbe probe)
    {
        var waited = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await probe.DeliveriesAsync(CancellationToken.None)).Pending == 0
            && await probe.ProjectionLagMsAsync(CancellationToken.None) == 0, Patience, "the previous run's advices and projection to settle");
        if (waited.Elapsed > TimeSpan.FromSeconds(1))
        {
            log($"waited {waited.Elapsed.TotalSeconds:0.0} s for the previous run's advices and projection to settle");
        }
    }

    private async Task JitWarmupAsync(SwitchUnderTest sut)
    {
        if (options.JitWarmupSeconds == 0)
        {
            return;
        }

        log($"warming the switch up: {options.JitWarmupSeconds} s of mixed load, not measured");
        var load = sut.Load(Scenario.Mix, 8, options, 250 * options.JitWarmupSeconds) with { WarmupSeconds = options.JitWarmupSeconds, DurationSeconds = 1 };
        var recorder = new Recorder();
        using var driver = new SuvDriver(load, recorder);
        var runner = new Runner(load, driver, recorder);
        await runner.PrepareAsync(CancellationToken.None);
        await runner.RunAsync(CancellationToken.None);
    }

    /// <summary>The provider answers 503 to confirmations while advices pile up; then it recovers and the clock runs until none is pending.</summary>
    private async Task<DrainResult> DrainAsync(SwitchUnderTest sut, LedgerProbe probe, Uri simulatorUrl)
    {
        await WaitUntilAsync(async () => (await probe.DeliveriesAsync(CancellationToken.None)).Pending == 0, Patience, "earlier advices to be delivered");
        using var control = new HttpClient { BaseAddress = simulatorUrl };
        using (var refusing = await control.PostAsJsonAsync("control/behaviours", new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503)))
        {
            refusing.EnsureSuccessStatusCode();
        }

        var load = sut.Load(Scenario.Full, DrainConcurrency, options, options.DrainAdvices);
        using var driver = new SuvDriver(load, new Recorder());
        await driver.ProvisionAsync(options.DrainAdvices, CancellationToken.None);
        log($"drain: piling up {options.DrainAdvices} confirmations while the provider answers 503");
        var accepted = 0;
        var pileUp = Stopwatch.StartNew();
        await Parallel.ForAsync(0, options.DrainAdvices, new ParallelOptions { MaxDegreeOfParallelism = DrainConcurrency }, async (_, ct) =>
        {
            if (await driver.RedeemAsync(ct) is { } id && await driver.ConfirmAsync(id, ct))
            {
                Interlocked.Increment(ref accepted);
            }
        });
        pileUp.Stop();
        var (pending, _) = await probe.DeliveriesAsync(CancellationToken.None);
        log($"drain: {accepted} confirmations accepted in {pileUp.Elapsed.TotalSeconds:0.0} s, {pending} advices pending; the provider recovers");

        using (var recovered = await control.DeleteAsync("control/behaviours"))
        {
            recovered.EnsureSuccessStatusCode();
        }

        var draining = Stopwatch.StartNew();
        await WaitUntilAsync(async () => (await probe.DeliveriesAsync(CancellationToken.None)).Pending == 0, Patience, "the backlog to drain");
        draining.Stop();
        var result = new DrainResult((int)pending, pileUp.Elapsed.TotalSeconds, draining.Elapsed.TotalSeconds,
            pending / Math.Max(draining.Elapsed.TotalSeconds, 0.001), RetryCapMs: 5_000);
        log($"drain: {pending} advices acknowledged {result.DrainSeconds:0.0} s after the provider recovered ({result.AdvicesPerSecond:0}/s)");
        return result;
    }

    /// <summary>Times finance's read of today (every redemption of the runs): the median of three, the first warming up.</summary>
    private async Task<FinanceResult> FinanceAsync(SwitchUnderTest sut)
    {
        const int reads = 3;
        using var ops = sut.OperatorClient();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var seconds = new List<double>();
        long events = 0;
        for (var i = 0; i < reads; i++)
        {
            var read = Stopwatch.StartNew();
            using var response = await ops.GetAsync($"ops/v1/finance/days/{today}");
            response.EnsureSuccessStatusCode();
            using var report = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            read.Stop();
            seconds.Add(read.Elapsed.TotalSeconds);
            events = report.RootElement.GetProperty("eventCount").GetInt64();
        }

        var median = seconds.Order().ElementAt(reads / 2);
        var result = new FinanceResult(reads, events, median, events / Math.Max(median, 0.001));
        log($"finance: the day's totals over {events} events in {median:0.00} s (median of {reads}) = {result.EventsPerSecond:0} events/s");
        return result;
    }

    /// <summary>Times the switch's own rebuild command; booting the command's host is timed apart and taken off.</summary>
    private async Task<RebuildResult> RebuildAsync(SwitchUnderTest sut, LedgerProbe probe)
    {
        var events = await probe.EventCountAsync(CancellationToken.None);
        var boot = Stopwatch.StartNew();
        await sut.CommandAsync("projections", "list");
        boot.Stop();
        log($"rebuild: the redemption view over {events} events");
        var rebuild = Stopwatch.StartNew();
        await sut.CommandAsync("projections", "rebuild", "--projection", "RedemptionView");
        rebuild.Stop();
        var applied = rebuild.Elapsed - boot.Elapsed;
        var result = new RebuildResult(events, rebuild.Elapsed.TotalSeconds, boot.Elapsed.TotalSeconds, events / Math.Max(applied.TotalSeconds, 0.001));
        log($"rebuild: {result.CommandSeconds:0.0} s including {result.BootSeconds:0.0} s to boot ({result.EventsPerSecond:0} events/s)");
        return result;
    }
}

using System.Diagnostics;

namespace EventLedger.LoadGenerator;

/// <summary>Runs a scenario closed-loop (N clients back to back) or open-loop (a fixed start rate), with a warm-up and a live progress line.</summary>
public sealed class Runner(LoadOptions options, SuvDriver driver, Recorder recorder)
{
    private readonly List<string> _settled = [];
    private long _lookups;

    public async Task PrepareAsync(CancellationToken ct)
    {
        var redemptions = options.Scenario is Scenario.Lookup or Scenario.Mix ? options.LookupPool : 0;
        Console.Error.WriteLine($"provisioning {options.Vouchers + redemptions} vouchers on {options.Simulator} …");
        await driver.ProvisionAsync(options.Vouchers + redemptions, ct);
        for (var i = 0; i < redemptions; i++)
        {
            if (await driver.RedeemAsync(ct) is { } id)
            {
                _settled.Add(id);
            }
        }

        if (redemptions > 0)
        {
            Console.Error.WriteLine($"waiting for {_settled.Count} redemptions to settle …");
            while (_settled.Count > 0 && !await driver.LookupAsync(_settled[^1], ct))
            {
                await Task.Delay(500, ct);
            }
        }
    }

    public async Task<TimeSpan> RunAsync(CancellationToken ct)
    {
        var warmup = TimeSpan.FromSeconds(options.WarmupSeconds);
        var measured = TimeSpan.FromSeconds(options.DurationSeconds);
        var started = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(warmup + measured);
        var progress = ProgressAsync(started, warmup, stop.Token);
        var measuring = Task.Delay(warmup, stop.Token).ContinueWith(_ => recorder.Recording = true, TaskScheduler.Default);
        await (options.Rate is { } rate ? OpenLoopAsync(rate, stop.Token) : ClosedLoopAsync(stop.Token));
        recorder.Recording = false;
        await measuring;
        await progress;
        Console.Error.WriteLine();
        return started.Elapsed - warmup;
    }

    private Task ClosedLoopAsync(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
        {
            while (!ct.IsCancellationRequested)
            {
                await OneAsync(worker, Stopwatch.GetTimestamp(), ct);
            }
        }));

    /// <summary>Starts operations on a fixed schedule; latency counts from the scheduled start, so queueing is not hidden.</summary>
    private async Task OpenLoopAsync(double rate, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1 / rate);
        var inFlight = new SemaphoreSlim(options.Concurrency);
        var running = new List<Task>();
        var next = Stopwatch.GetTimestamp();
        for (var n = 0; !ct.IsCancellationRequested; n++)
        {
            var scheduled = next;
            next += (long)(interval.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), scheduled);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            if (!await inFlight.WaitAsync(0, CancellationToken.None))
            {
                recorder.Error("scenario", -1, "generator-saturated");
                continue;
            }

            var worker = n;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await OneAsync(worker, scheduled, ct);
                }
                finally
                {
                    inFlight.Release();
                }
            }, CancellationToken.None));
        }

        await Task.WhenAll(running);
    }

    private async Task OneAsync(int worker, long start, CancellationToken ct)
    {
        try
        {
            var scenario = options.Scenario == Scenario.Mix
                ? (Random.Shared.Next(10) switch { < 7 => Scenario.Full, < 9 => Scenario.Reverse, _ => Scenario.Lookup })
                : options.Scenario;
            var ok = scenario switch
            {
                Scenario.Full => await driver.RedeemAsync(ct) is { } id && await driver.ConfirmAsync(id, ct),
                Scenario.Reverse => await driver.RedeemAsync(ct) is { } id && await driver.ReverseAsync(id, ct),
                _ => _settled.Count > 0 && await driver.LookupAsync(_settled[(int)(Interlocked.Increment(ref _lookups) % _settled.Count)], ct),
            };
            if (ok)
            {
                recorder.Record($"scenario:{scenario.ToString().ToLowerInvariant()}", start);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The run ended mid-operation; it is not counted.
        }
    }

    private async Task ProgressAsync(Stopwatch started, TimeSpan warmup, CancellationToken ct)
    {
        long last = 0;
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(1_000, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            var done = recorder.Completed;
            var phase = started.Elapsed < warmup ? "warm-up" : "measuring";
            Console.Error.Write($"\r{started.Elapsed.TotalSeconds,6:0}s {phase,-9} completed {done,8}  {done - last,6}/s  errors {recorder.Errors.Values.Sum(),6}  vouchers left {driver.VouchersLeft,7}   ");
            last = done;
        }
    }
}

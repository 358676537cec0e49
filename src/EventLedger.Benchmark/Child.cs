using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventLedger.Benchmark;

/// <summary>
/// A program the benchmark runs beside itself (the switch, the simulator, pgbench, a one-off
/// command), configured through its environment, with the tail of its output kept for reports.
/// </summary>
public sealed class Child : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private Child(Process process)
    {
        _process = process;
        Started = Stopwatch.StartNew();
    }

    /// <summary>Running since the process was started: the clock for start-to-first-redemption.</summary>
    public Stopwatch Started { get; }

    public bool HasExited => _process.HasExited;

    public string Output => string.Join('\n', _output);

    public static Child Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var child = new Child(process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to the end; throws with the output when it fails or outlives <paramref name="timeout"/>.</summary>
    public static async Task<string> RunAsync(
        string file, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        await using var child = Start(file, arguments, environment, workingDirectory);
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await child._process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{file} did not finish within {timeout}:\n{child.Output}");
        }

        // The asynchronous readers may still hold the last lines; this waits for them.
        await child._process.WaitForExitAsync(CancellationToken.None);
        return child._process.ExitCode == 0
            ? child.Output
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {child._process.ExitCode}:\n{child.Output}");
    }

    /// <summary>SIGTERM and a graceful shutdown; SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// The built switch (src/EventLedger's EventLedger.dll) running as a child process on a loopback
/// port, configured through its environment, that a test can kill with SIGKILL and start again.
/// </summary>
public sealed class SwitchProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<string> _failPoint = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SwitchProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public string Output => string.Join('\n', _output);

    public static string Binary
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                ? "Release" : "Debug";
            return Path.Combine(RepositoryRoot.Path, "src", "EventLedger", "bin", configuration, "net10.0", "EventLedger.dll");
        }
    }

    /// <param name="waitUntilReady">False to return as soon as the process runs (a switch waiting for its database).</param>
    /// <param name="url">Where to listen; by default a free loopback port. A restarted switch keeps its clients' address.</param>
    /// <param name="arguments">Its command line, after the binary.</param>
    public static async Task<SwitchProcess> StartAsync(
        IReadOnlyDictionary<string, string> settings, string? failPoint = null, bool waitUntilReady = true, string? url = null,
        IReadOnlyList<string>? arguments = null)
    {
        File.Exists(Binary).Should().BeTrue($"the switch must be built at {Binary}");
        url ??= FreeUrl();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(Binary)!,
        };
        start.ArgumentList.Add(Binary);
        start.Environment["ASPNETCORE_URLS"] = url;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["EVENTLEDGER_FAILPOINT"] = failPoint ?? "";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var argument in arguments ?? [])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the switch");
        var child = new SwitchProcess(process, url);
        process.OutputDataReceived += (_, e) => child.Collect(e.Data);
        process.ErrorDataReceived += (_, e) => child.Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (waitUntilReady)
        {
            try
            {
                await child.WaitUntilReadyAsync();
            }
            catch
            {
                // A switch that never became ready is not left running (with its embedded PostgreSQL).
                await child.DisposeAsync();
                throw;
            }
        }

        return child;
    }

    public HttpClient Client(string user, string password)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>Waits for the armed fail point to be reached (the process then stands frozen there).</summary>
    public async Task WaitForFailPointAsync(TimeSpan timeout)
    {
        var reached = await Task.WhenAny(_failPoint.Task, Task.Delay(timeout));
        reached.Should().BeSameAs(_failPoint.Task, $"the fail point should be reached within {timeout}; output:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown, no flush, nothing of the process's own cleanup runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an operator's stop: the switch shuts down and stops what it started (its embedded PostgreSQL).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
            using var waiting = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(waiting.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.StartsWith("FAILPOINT ", StringComparison.Ordinal))
        {
            _failPoint.TrySetResult(line);
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for a switch expected to stop by itself (refusing its configuration, say); its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        using var waiting = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(waiting.Token);
        return _process.ExitCode;
    }

    /// <summary>Output lines that belong to a stack trace: an operator should see none for a fault the switch handles.</summary>
    public IReadOnlyList<string> StackTraceLines => _output.Where(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).ToList();

    public async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTimeOffset.UtcNow + StartTimeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            _process.HasExited.Should().BeFalse($"the switch exited during start:\n{Output}");
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the switch did not become ready within {StartTimeout}:\n{Output}");
    }

    public static string FreeUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}

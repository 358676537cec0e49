using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Histories;

/// <summary>
/// The real system the histories run against: the built switch as a child process on a durable
/// PostgreSQL of its own, the provider simulator over HTTP, and the faults that strike them all at
/// once while histories run (the nemesis): the switch killed with SIGKILL and restarted on the same
/// address, PostgreSQL stopped (fast or immediate) and started again.
/// </summary>
public sealed class HistoryWorld : IAsyncDisposable
{
    /// <summary>The provider's answer time limit: a provider "too slow" answers after 1.5 × this.</summary>
    public const int ProviderTimeoutMs = 2_000;

    /// <summary>A provider routed to by receiver id whose port refuses connections.</summary>
    public const string UnreachableProvider = SwitchFixture.RefusingProvider;

    private readonly SemaphoreSlim _switchGate = new(1, 1);
    private LocalPostgres.LocalPostgres _postgres = null!;
    private Dictionary<string, string> _settings = null!;
    private SwitchProcess _switch = null!;

    private HistoryWorld()
    {
    }

    public TestProvider Simulator { get; private set; } = null!;

    public LedgerProbe Ledger { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Faults the nemesis injected, by kind.</summary>
    public ConcurrentDictionary<string, int> Faults { get; } = new();

    /// <summary>When each global fault struck and ended (ticks of <see cref="Clock"/>), the recovery it starts included.</summary>
    private readonly ConcurrentBag<(long From, long To)> _faultWindows = [];

    /// <summary>The one clock of a run: histories' calls and the nemesis's faults are compared on it.</summary>
    public static readonly System.Diagnostics.Stopwatch Clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>
    /// Whether a global fault struck between these two moments: then an outcome may be unknown
    /// whatever the provider did (the switch died in flight, or could not record the answer).
    /// Faults count until in-flight recovery could have settled what they left: the provider's
    /// timeout, the recovery grace and one interval past the fault's end.
    /// </summary>
    public bool FaultStruckBetween(long from, long to) =>
        _faultWindows.Any(w => w.From <= to && w.To + TimeSpan.FromMilliseconds(ProviderTimeoutMs + 2_000).Ticks >= from);

    /// <summary>What the switch processes killed so far printed.</summary>
    private readonly StringBuilder _pastOutput = new();

    public static async Task<HistoryWorld> StartAsync()
    {
        var world = new HistoryWorld();
        (world._postgres, var connectionString) = await TestPostgres.PrivateClusterAsync("histories");
        world.Simulator = await TestProvider.StartAsync();
        world._settings = SwitchFixture.BaseSettings(connectionString, applySchema: true);
        world.Simulator.Configure(world._settings, 0, ProviderTimeoutMs);
        SwitchFixture.AddProvider(world._settings, 1, UnreachableProvider, SilentServer.RefusingUrl(), "6666", "x", ProviderTimeoutMs);
        world._settings["Lookups:ProcessingPeriodMs"] = "300";
        world._switch = await SwitchProcess.StartAsync(world._settings, url: SwitchProcess.FreeUrl());
        world.Ledger = new LedgerProbe(connectionString);
        world.Client = new HttpClient { BaseAddress = new Uri(world._switch.Url), Timeout = TimeSpan.FromSeconds(30) };
        world.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SwitchFixture.ClientId}:{SwitchFixture.ClientPassword}")));
        return world;
    }

    /// <summary>SIGKILL, then the same switch again on the same address.</summary>
    public async Task KillSwitchAsync()
    {
        await _switchGate.WaitAsync();
        try
        {
            var from = Clock.Elapsed.Ticks;
            await _switch.KillAsync();
            _pastOutput.AppendLine(_switch.Output);
            _switch = await SwitchProcess.StartAsync(_settings, url: _switch.Url);
            _faultWindows.Add((from, Clock.Elapsed.Ticks));
            Faults.AddOrUpdate("switch SIGKILL", 1, (_, n) => n + 1);
        }
        finally
        {
            _switchGate.Release();
        }
    }

    /// <summary>PostgreSQL stopped for <paramref name="down"/>, then started again.</summary>
    public async Task RestartPostgresAsync(bool immediate, TimeSpan down)
    {
        var from = Clock.Elapsed.Ticks;
        await _postgres.ShutDownAsync(immediate);
        await Task.Delay(down);
        await _postgres.StartAgainAsync();
        _faultWindows.Add((from, Clock.Elapsed.Ticks));
        Faults.AddOrUpdate(immediate ? "PostgreSQL immediate stop" : "PostgreSQL fast stop", 1, (_, n) => n + 1);
    }

    /// <summary>False if the switch process died without the nemesis killing it (it never may).</summary>
    public bool SwitchIsRunning => !_switch.HasExited;

    /// <summary>Everything the switch printed, across its processes.</summary>
    public string SwitchOutput => _pastOutput + _switch.Output;

    /// <summary>Lines of stack traces the switch printed, across its processes.</summary>
    public IReadOnlyList<string> StackTraceLines =>
        SwitchOutput.Split('\n').Where(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _switch.DisposeAsync();
        Ledger.Dispose();
        await Simulator.DisposeAsync();
        await _postgres.StopAsync();
        _switchGate.Dispose();
    }
}

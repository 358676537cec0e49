using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using EventLedger.ProviderSimulator;
using EventLedger.Suv.Messages;
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
    public const int ProviderTimeoutMs = 1_000;

    /// <summary>A provider routed to by receiver id whose port refuses connections.</summary>
    public const string UnreachableProvider = SwitchFixture.RefusingProvider;

    private readonly string _simulatorPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    private readonly SemaphoreSlim _switchGate = new(1, 1);
    private LocalPostgres.LocalPostgres _postgres = null!;
    private Dictionary<string, string> _settings = null!;
    private SwitchProcess _switch = null!;

    private HistoryWorld()
    {
    }

    public SimulatorServer Simulator { get; private set; } = null!;

    public LedgerReader Ledger { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Faults the nemesis injected, by kind.</summary>
    public ConcurrentDictionary<string, int> Faults { get; } = new();

    /// <summary>What the switch processes killed so far printed.</summary>
    private readonly StringBuilder _pastOutput = new();

    public static async Task<HistoryWorld> StartAsync()
    {
        var world = new HistoryWorld();
        (world._postgres, var connectionString) = await TestPostgres.PrivateClusterAsync("histories");
        world.Simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            InstitutionId = SwitchFixture.SimulatedProvider,
            VoucherCodePrefix = "4444",
            Accounts = new Dictionary<string, string> { [SwitchFixture.SwitchInstitution] = world._simulatorPassword },
        });
        world._settings = SwitchFixture.BaseSettings(connectionString, applySchema: true);
        SwitchFixture.AddProvider(world._settings, 0, SwitchFixture.SimulatedProvider, world.Simulator.Url, "4444", world._simulatorPassword, ProviderTimeoutMs);
        SwitchFixture.AddProvider(world._settings, 1, UnreachableProvider, SilentServer.RefusingUrl(), "6666", "x", ProviderTimeoutMs);
        world._settings["Lookups:ProcessingPeriodMs"] = "300";
        world._switch = await SwitchProcess.StartAsync(world._settings, url: SwitchProcess.FreeUrl());
        world.Ledger = new LedgerReader(connectionString);
        world.Client = new HttpClient { BaseAddress = new Uri(world._switch.Url), Timeout = TimeSpan.FromSeconds(30) };
        world.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SwitchFixture.ClientId}:{SwitchFixture.ClientPassword}")));
        return world;
    }

    /// <summary>Issues a voucher at the provider, as its sales channel would; an unconfirmed one is not redeemable.</summary>
    public async Task<string> ProvisionAsync(bool confirm)
    {
        using var http = SimulatorClient.Create(new Uri(Simulator.Url), SwitchFixture.SwitchInstitution, _simulatorPassword);
        return await SimulatorClient.ProvisionAsync(http, new Institution { Id = SwitchFixture.SwitchInstitution, Name = "Sales" },
            Messages.Originator(), 5_000, confirm);
    }

    /// <summary>SIGKILL, then the same switch again on the same address.</summary>
    public async Task KillSwitchAsync()
    {
        await _switchGate.WaitAsync();
        try
        {
            await _switch.KillAsync();
            _pastOutput.AppendLine(_switch.Output);
            _switch = await SwitchProcess.StartAsync(_settings, url: _switch.Url);
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
        await _postgres.ShutDownAsync(immediate);
        await Task.Delay(down);
        await _postgres.StartAgainAsync();
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

using System.Text.Json.Nodes;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Docs;

/// <summary>
/// The switch as the README starts it, in demo mode with nothing configured (its own embedded
/// PostgreSQL, the simulator beside it), on ports of its own and with JSON console logs; and the
/// quick start's curl walkthrough, run against it once for the tests that read what came of it.
/// </summary>
public sealed class DemoSwitch : IAsyncLifetime
{
    /// <summary>Longest wait for an answer a document says comes "eventually" (the 10 s processing period, and slack).</summary>
    public static readonly TimeSpan Eventually = TimeSpan.FromSeconds(45);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "eventledger-demo-" + Guid.NewGuid().ToString("N"));
    private Lazy<Task<(IReadOnlyList<WalkthroughStep> Steps, IReadOnlyList<string> Printed)>>? _walkthrough;

    private SwitchProcess? _process;

    public SwitchProcess Process => _process ?? throw new InvalidOperationException("the demo switch did not start");

    public string SimulatorUrl { get; } = SwitchProcess.FreeUrl();

    public static string Quickstart => Path.Combine(RepositoryRoot.Path, "docs", "quickstart.md");

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Switch:EmbeddedDataDirectory"] = _dataDirectory,
            ["Switch:EmbeddedPort"] = new Uri(SwitchProcess.FreeUrl()).Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Demo:SimulatorUrl"] = SimulatorUrl,
            ["Logging:Console:FormatterName"] = "json",
            ["Logging:LogLevel:Default"] = "Information",
        };
        _process = await SwitchProcess.StartAsync(settings);
        await WarmUpAsync();
        _walkthrough = new(RunWalkthroughAsync);
    }

    /// <summary>
    /// The walk's "still processing" answer must come within the 10 s processing period after a
    /// redemption; on a busy build machine the first confirmation and lookup could spend much of
    /// that compiling their handlers, so each is called once before (about nothing: 404s).
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var till = Process.Client("22222222", "demo");
        var nobody = Guid.NewGuid().ToString();
        var advice = $$"""{"id":"{{Guid.NewGuid()}}","requestId":"{{nobody}}","time":"2026-11-26T09:00:00.000Z","thirdPartyIdentifiers":[{"institutionId":"11111111","transactionIdentifier":"WARMUP"}]}""";
        using var lookup = await till.GetAsync($"/suv/v1/redemptions/{nobody}");
        using var confirm = await till.PostAsync("/suv/v1/redemptions/confirmations", new StringContent(advice, System.Text.Encoding.UTF8, "application/json"));
        lookup.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        confirm.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    /// <summary>The quick start's steps and what each printed, run once however many tests ask.</summary>
    public Task<(IReadOnlyList<WalkthroughStep> Steps, IReadOnlyList<string> Printed)> WalkthroughAsync() => _walkthrough!.Value;

    /// <summary>The switch's log entries so far (JSON lines), skipping the demo's banner, which is for people.</summary>
    public IReadOnlyList<JsonObject> LogEntries() =>
        Process.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return; // it never started; SwitchProcess killed what it had begun
        }

        try
        {
            // A stop, not a kill: the switch stops the PostgreSQL it started.
            await Process.StopAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            await Process.DisposeAsync();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp folder's cleaner; nothing else uses it.
            }
        }
    }

    private async Task<(IReadOnlyList<WalkthroughStep>, IReadOnlyList<string>)> RunWalkthroughAsync()
    {
        var steps = Walkthrough.Parse(await File.ReadAllTextAsync(Quickstart));
        var printed = await Walkthrough.RunAsync(steps, RepositoryRoot.Path,
            new Dictionary<string, string> { ["SWITCH"] = Process.Url, ["SIM"] = SimulatorUrl }, Eventually);
        return (steps, printed);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using EventLedger.LoadGenerator;

namespace EventLedger.Benchmark;

/// <summary>The Release switch as a child process on the benchmark's database, routed to the simulator.</summary>
public sealed class SwitchUnderTest(SwitchBuild build, string connectionString, Uri simulator, string simulatorPassword)
{
    public const string ClientId = "22222222";
    public const string OperatorId = "bench-ops";
    public const string SwitchInstitution = "33333333";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _clientPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    private readonly string _hashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private string? _clientHash;

    public Uri Url { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    public string ClientPassword => _clientPassword;

    /// <summary>An HTTP client signed in as the switch's operator account.</summary>
    public HttpClient OperatorClient() => new()
    {
        BaseAddress = Url,
        Timeout = TimeSpan.FromMinutes(5),
        DefaultRequestHeaders =
        {
            Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{OperatorId}:{_clientPassword}"))),
        },
    };

    /// <summary>The load generator's view of this switch and the simulator behind it.</summary>
    public LoadOptions Load(Scenario scenario, int concurrency, BenchmarkOptions options, int vouchers) => new()
    {
        Switch = Url, Simulator = simulator, ClientId = ClientId, ClientPassword = _clientPassword,
        SimulatorUser = SwitchInstitution, SimulatorPassword = simulatorPassword, Scenario = scenario, Concurrency = concurrency,
        DurationSeconds = options.MeasureSeconds, WarmupSeconds = options.WarmupSeconds, Vouchers = vouchers,
    };

    /// <summary>Runs one of the switch's commands (projections, hash-password) against the same database; returns its output.</summary>
    public async Task<string> CommandAsync(params string[] arguments) =>
        await Child.RunAsync("dotnet", [build.SwitchDll, .. arguments], TimeSpan.FromMinutes(10), await SettingsAsync(), Path.GetDirectoryName(build.SwitchDll));

    /// <summary>
    /// Starts the switch and returns it with the milliseconds from process start to the first
    /// redemption it approved: what a till waits after a deploy or a crash.
    /// </summary>
    public async Task<(Child Process, double FirstRedemptionMs)> StartAsync()
    {
        var settings = await SettingsAsync();
        settings["ASPNETCORE_URLS"] = Url.ToString();
        using var probe = new SuvDriver(Load(Scenario.Full, 1, new BenchmarkOptions(), 0), new Recorder());
        // Each try before the switch listens spends a voucher locally; enough for the whole timeout.
        await probe.ProvisionAsync((int)(StartTimeout / ProbeInterval) + 10, CancellationToken.None);

        var child = Child.Start("dotnet", [build.SwitchDll], settings, Path.GetDirectoryName(build.SwitchDll));
        while (child.Started.Elapsed < StartTimeout)
        {
            if (child.HasExited)
            {
                throw new InvalidOperationException($"the switch exited while starting:\n{child.Output}");
            }

            if (await probe.RedeemAsync(CancellationToken.None) is not null)
            {
                return (child, child.Started.Elapsed.TotalMilliseconds);
            }

            await Task.Delay(ProbeInterval);
        }

        await child.DisposeAsync();
        throw new TimeoutException($"no redemption was approved within {StartTimeout} of starting the switch:\n{child.Output}");
    }

    private static TimeSpan ProbeInterval => TimeSpan.FromMilliseconds(20);

    private async Task<Dictionary<string, string>> SettingsAsync()
    {
        // The switch's own command hashes the password, so the benchmark holds no copy of the scheme.
        _clientHash ??= (await Child.RunAsync("dotnet", [build.SwitchDll, "hash-password", _clientPassword], TimeSpan.FromMinutes(1), BaseSettings()))
            .Split('\n').Select(l => l.Trim()).Last(l => l.StartsWith("PBKDF2-", StringComparison.Ordinal));
        var settings = BaseSettings();
        settings["Clients:0:Id"] = ClientId;
        settings["Clients:0:Name"] = "Benchmark Till";
        settings["Clients:0:PasswordHash"] = _clientHash;
        // Finance's reports are timed too; the operator shares the till's password.
        settings["Operators:0:Id"] = OperatorId;
        settings["Operators:0:Name"] = "Benchmark Finance";
        settings["Operators:0:PasswordHash"] = _clientHash;
        settings["Operators:0:Roles:0"] = "Viewer";
        settings["Operators:0:Roles:1"] = "Finance";
        return settings;
    }

    private Dictionary<string, string> BaseSettings() => new()
    {
        ["ConnectionStrings:Ledger"] = connectionString,
        ["Switch:InstitutionId"] = SwitchInstitution,
        ["Switch:VoucherHashKey"] = _hashKey,
        ["Switch:ApplySchemaOnStartup"] = "false",
        ["Switch:GeneratedCode"] = "Static",
        ["Providers:0:InstitutionId"] = "44444444",
        ["Providers:0:Name"] = "Simulated Provider",
        ["Providers:0:BaseUrl"] = simulator.ToString(),
        ["Providers:0:UserName"] = SwitchInstitution,
        ["Providers:0:Password"] = simulatorPassword,
        ["Providers:0:VoucherCodePrefixes:0"] = "4444",
        // The drain phase waits for advices' next attempts; a shorter cap than production's
        // minute keeps that wait from hiding the delivery rate (docs/benchmarks.md).
        ["StoreAndForward:FirstRetryDelayMs"] = "500",
        ["StoreAndForward:MaxRetryDelayMs"] = "5000",
        // Lookups are served once settled; a short period lets the lookup pool settle quickly.
        ["Lookups:ProcessingPeriodMs"] = "2000",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

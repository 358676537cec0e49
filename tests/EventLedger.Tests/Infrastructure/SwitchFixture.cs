using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Alba;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Security;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// The switch in-process (Alba) on its own real PostgreSQL database, routing over real HTTP to the
/// provider simulator (prefix 4444), to a provider that never answers (5555) and to one whose port
/// refuses connections (6666).
/// </summary>
public class SwitchFixture : IAsyncLifetime, IDisposable
{
    public const string SwitchInstitution = "33333333";
    public const string ClientId = "22222222";
    public const string ClientPassword = "till-secret-22";
    public const string OtherClientId = "77777777";
    public const string OtherClientPassword = "till-secret-77";
    public const string SimulatedProvider = "44444444";
    public const string SilentProvider = "55555555";
    public const string RefusingProvider = "66666666";
    public const int SilentProviderTimeoutMs = 400;

    /// <summary>The simulator again, reached by receiver id, with a timeout short enough to provoke.</summary>
    public const string ImpatientProvider = "44444445";
    public const int ImpatientTimeoutMs = 600;

    /// <summary>The simulator again, reached by receiver id, configured as taking no advices.</summary>
    public const string NoAdviceProvider = "44444446";

    /// <summary>The simulator again, reached by receiver id: a provider of its own for settlement matching.</summary>
    public const string SettlementProvider = "44444447";

    /// <summary>A provider whose address never completes a TCP handshake (prefix 8888).</summary>
    public const string BlackholeProvider = "88888888";

    public const string OperatorId = "ops-tester";
    public const string OperatorPassword = "ops-secret";
    public const string ViewerId = "viewer-tester";
    public const string ViewerPassword = "viewer-secret";

    private readonly SilentServer _silent = new();
    private readonly BlackholeServer _blackhole = new();

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>What the switch logged at Warning and above.</summary>
    public LogRecorder Logs { get; } = new();

    public SimulatorServer Simulator { get; private set; } = null!;

    public string ConnectionString { get; private set; } = null!;

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    private LedgerProbe? _ledger;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.NewDatabaseAsync("switch");
        var simulatorPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        Simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            InstitutionId = SimulatedProvider,
            Name = "Test Provider",
            VoucherCodePrefix = "4444",
            Accounts = new Dictionary<string, string> { [SwitchInstitution] = simulatorPassword },
        });

        var settings = BaseSettings(ConnectionString, applySchema: true);
        AddProvider(settings, 0, SimulatedProvider, Simulator.Url, "4444", simulatorPassword, 5_000);
        AddProvider(settings, 1, SilentProvider, _silent.Url, "5555", "x", SilentProviderTimeoutMs);
        AddProvider(settings, 2, RefusingProvider, SilentServer.RefusingUrl(), "6666", "x", 2_000);
        AddProvider(settings, 3, ImpatientProvider, Simulator.Url, null, simulatorPassword, ImpatientTimeoutMs);
        AddProvider(settings, 4, NoAdviceProvider, Simulator.Url, null, simulatorPassword, 5_000);
        AddProvider(settings, 5, SettlementProvider, Simulator.Url, null, simulatorPassword, 5_000);
        AddProvider(settings, 6, BlackholeProvider, _blackhole.Url, "8888", "x", 2_000);
        settings["Providers:4:TakesConfirmations"] = "false";
        settings["Providers:4:TakesReversals"] = "false";

        Host = await StartSwitchAsync(settings, Time, Logs);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Simulator.DisposeAsync();
    }

    public void Dispose()
    {
        _silent.Dispose();
        _blackhole.Dispose();
        GC.SuppressFinalize(this);
    }

    public HttpClient Client(string user = ClientId, string password = ClientPassword)
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    public SimulatorControl SimulatorControl => Simulator.Control;

    public VoucherBook SimulatorBook => Simulator.Book;

    public HttpClient OperatorClient() => Client(OperatorId, OperatorPassword);

    /// <summary>An operations account with the Viewer role only.</summary>
    public HttpClient ViewerClient() => Client(ViewerId, ViewerPassword);

    /// <summary>What the tests read of this switch's ledger.</summary>
    public LedgerProbe Ledger => _ledger ??= new LedgerProbe(Store);

    /// <summary>How many times the simulator received a message of this operation with this id (the originator's; the provider's is looked for).</summary>
    public int Received(string operation, string id) =>
        SimulatorControl.Received().Where(m => m.Operation == operation && m.Id == Upstream.For(operation, id)).Sum(m => m.Count);

    /// <summary>How many times it received this advice (under the switch's id for it).</summary>
    public int Received(string operation, BasicAdvice advice) =>
        SimulatorControl.Received().Where(m => m.Operation == operation && m.Id == Upstream.Advice(advice)).Sum(m => m.Count);

    /// <summary>Issues and confirms a voucher on the simulator, as a provider's sales channel would.</summary>
    public async Task<string> ProvisionVoucherAsync(long valueMinor = 10_000, bool confirm = true)
    {
        var account = Simulator.Options.Accounts.Single();
        using var http = SimulatorClient.Create(new Uri(Simulator.Url), account.Key, account.Value);
        return await SimulatorClient.ProvisionAsync(http, new Institution { Id = account.Key, Name = "Sales" }, Messages.Originator(), valueMinor, confirm);
    }

    /// <summary>A voucher issued and redeemed (201) through the switch: the usual starting point for advices.</summary>
    public async Task<RedemptionRequest> ApprovedRedemptionAsync(HttpClient client, string? receiverId = null, string merchantId = Messages.MerchantId)
    {
        var request = Messages.Redemption(await ProvisionVoucherAsync(), receiverId: receiverId, merchantId: merchantId);
        var answer = await client.RedeemAsync(request);
        answer.Status.Should().Be(201, answer.Body);
        return request;
    }

    /// <summary>A switch with two originators and no providers yet; callers add what they route to.</summary>
    public static Dictionary<string, string> BaseSettings(string connectionString, bool applySchema) => new()
    {
        ["ConnectionStrings:Ledger"] = connectionString,
        ["Switch:InstitutionId"] = SwitchInstitution,
        ["Switch:ApplySchemaOnStartup"] = applySchema ? "true" : "false",
        ["Switch:VoucherHashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Clients:0:Id"] = ClientId,
        ["Clients:0:Name"] = "Test Till",
        ["Clients:0:PasswordHash"] = PasswordHasher.Hash(ClientPassword, 10_000),
        ["Clients:1:Id"] = OtherClientId,
        ["Clients:1:Name"] = "Other Till",
        ["Clients:1:PasswordHash"] = PasswordHasher.Hash(OtherClientPassword, 10_000),
        ["Operators:0:Id"] = OperatorId,
        ["Operators:0:Name"] = "Test Operator",
        ["Operators:0:PasswordHash"] = PasswordHasher.Hash(OperatorPassword, 10_000),
        ["Operators:0:Roles:0"] = "Operator",
        ["Operators:0:Roles:1"] = "Finance",
        ["Operators:1:Id"] = ViewerId,
        ["Operators:1:Name"] = "Test Viewer",
        ["Operators:1:PasswordHash"] = PasswordHasher.Hash(ViewerPassword, 10_000),
        ["Operators:1:Roles:0"] = "Viewer",
        // Fast retries so tests see many attempts in little time; production defaults are seconds.
        ["StoreAndForward:FirstRetryDelayMs"] = "50",
        ["StoreAndForward:MaxRetryDelayMs"] = "200",
        ["StoreAndForward:ScheduledPollingMs"] = "100",
        ["StoreAndForward:BacklogRefreshMs"] = "200",
        ["StoreAndForward:AlarmAgeSeconds"] = "1",
        ["StoreAndForward:OverdueAfterMs"] = "3000",
        ["Lookups:ProcessingPeriodMs"] = "1500",
        // The reference is off outside demo mode by default; the operability tests read it.
        ["Management:ApiReference"] = "true",
        ["Redemptions:InFlightGraceMs"] = "1000",
        ["Redemptions:RecoveryIntervalMs"] = "500",
        ["StoreAndForward:SweepIntervalMs"] = "500",
    };

    /// <summary>The switch's clock; a fixture may run it ahead to see days end.</summary>
    protected virtual TimeProvider Time => TimeProvider.System;

    public static Task<IAlbaHost> StartSwitchAsync(IReadOnlyDictionary<string, string> settings, TimeProvider? time = null, LogRecorder? logs = null) =>
        AlbaHost.For<Program>(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (time is not null)
            {
                builder.ConfigureServices(services => services.AddSingleton(time));
            }

            if (logs is not null)
            {
                builder.ConfigureServices(services => services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs));
            }
        });

    public static void AddProvider(Dictionary<string, string> settings, int index, string id, string url, string? prefix, string password, int timeoutMs)
    {
        var at = $"Providers:{index}:";
        settings[at + "InstitutionId"] = id;
        settings[at + "Name"] = "Provider " + id;
        settings[at + "BaseUrl"] = url;
        settings[at + "UserName"] = SwitchInstitution;
        settings[at + "Password"] = password;
        settings[at + "TimeoutMs"] = timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings[at + "ConnectTimeoutMs"] = Math.Min(timeoutMs, 1_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (prefix is not null)
        {
            settings[at + "VoucherCodePrefixes:0"] = prefix;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SwitchTests : ICollectionFixture<SwitchFixture>
{
    public const string Name = "switch";
}

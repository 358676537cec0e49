using System.Security.Cryptography;
using EventLedger.Clients;
using EventLedger.Providers;
using EventLedger.ProviderSimulator;
using EventLedger.Security;

namespace EventLedger.Demo;

/// <summary>
/// The default while no providers are configured: the switch hosts the provider simulator beside
/// itself, routes to it as institution 44444444, and lets originator 22222222 in with password
/// <c>demo</c>, so that a fresh clone serves a real lookup within seconds.
/// </summary>
public sealed class DemoMode
{
    public const string Section = "Demo";
    public const string ProviderInstitutionId = "44444444";
    public const string ClientId = "22222222";
    public const string ClientPassword = "demo";
    public const string VoucherCodePrefix = "4444";

    public DemoMode(string simulatorUrl, string switchInstitutionId)
    {
        SimulatorUrl = simulatorUrl;
        var simulatorPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Simulator = new SimulatorOptions
        {
            InstitutionId = ProviderInstitutionId,
            Name = "Demo Provider (simulator)",
            VoucherCodePrefix = VoucherCodePrefix,
            Accounts = new Dictionary<string, string> { [switchInstitutionId] = simulatorPassword },
        };
        Provider = new ProviderOptions
        {
            InstitutionId = ProviderInstitutionId,
            Name = Simulator.Name,
            BaseUrl = simulatorUrl,
            UserName = switchInstitutionId,
            Password = simulatorPassword,
            TimeoutMs = 5_000,
            ConnectTimeoutMs = 1_000,
            VoucherCodePrefixes = [VoucherCodePrefix],
        };
    }

    /// <summary>
    /// Demo mode runs when nothing of a real deployment is configured (no <c>Providers</c>, no
    /// <c>Clients</c>, no <c>Operators</c>, no <c>ConnectionStrings:Ledger</c>), or when <c>Demo:Enabled</c> asks for it;
    /// never against a configured database, where its published credentials would open a real
    /// ledger. <c>Demo:Enabled=false</c> turns it off whatever else is missing.
    /// </summary>
    public static bool IsWanted(IConfiguration configuration, bool embeddedDatabase)
    {
        var asked = configuration.GetValue<bool?>($"{Section}:Enabled");
        if (asked == true && !embeddedDatabase)
        {
            throw new Hosting.StartupException(
                "Demo:Enabled with ConnectionStrings:Ledger configured: demo mode's published credentials never run against a configured database.");
        }

        var configured = configuration.GetSection(ProviderOptions.Section).Exists() || configuration.GetSection(OriginatorClient.Section).Exists()
            || configuration.GetSection(Operations.OperatorAccount.Section).Exists() || !embeddedDatabase;
        return asked ?? !configured;
    }

    public string SimulatorUrl { get; }

    public SimulatorOptions Simulator { get; }

    public ProviderOptions Provider { get; }

    public const string OperatorId = "ops";

    public static Operations.OperatorAccount DemoOperator() => new()
    {
        Id = OperatorId,
        Name = "Demo Operator",
        PasswordHash = PasswordHasher.Hash(ClientPassword),
        Roles = [Operations.OperatorRole.Viewer, Operations.OperatorRole.Operator, Operations.OperatorRole.Finance],
    };

    public static OriginatorClient DemoClient() => new()
    {
        Id = ClientId,
        Name = "Demo Till Operator",
        PasswordHash = PasswordHasher.Hash(ClientPassword),
    };
}

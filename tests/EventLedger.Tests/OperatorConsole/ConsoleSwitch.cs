using System.Net.Http.Headers;
using System.Text;
using EventLedger.ProviderSimulator;
using EventLedger.Security;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.OperatorConsole;

[CollectionDefinition(Name)]
public sealed class ConsoleGroup : ICollectionFixture<ConsoleSwitch>
{
    public const string Name = "console";
}

/// <summary>
/// A switch process with its console on a real port, a real provider simulator and PostgreSQL, and
/// the accounts the console tests sign in with: one operator with every role, one viewer. Advices are
/// retried only once a minute here, so that one the provider turned away stays pending for an operator.
/// </summary>
public sealed class ConsoleSwitch : IAsyncLifetime
{
    public const string Operator = "console-ops";
    public const string OperatorPassword = "console-ops-secret";
    public const string Viewer = "console-viewer";
    public const string ViewerPassword = "console-viewer-secret";

    public SwitchProcess Process { get; private set; } = null!;

    public TestProvider Provider { get; private set; } = null!;

    public LedgerProbe Ledger { get; private set; } = null!;

    public string Url => Process.Url;

    public async Task InitializeAsync()
    {
        var database = await TestPostgres.NewDatabaseAsync("console");
        var settings = SwitchFixture.BaseSettings(database, applySchema: true);
        Provider = await TestProvider.StartAsync();
        Provider.Configure(settings, 0);
        settings["Operators:0:Id"] = Operator;
        settings["Operators:0:Name"] = "Console Operator";
        settings["Operators:0:PasswordHash"] = PasswordHasher.Hash(OperatorPassword, 10_000);
        settings["Operators:0:Roles:0"] = "Operator";
        settings["Operators:0:Roles:1"] = "Finance";
        settings["Operators:1:Id"] = Viewer;
        settings["Operators:1:Name"] = "Console Viewer";
        settings["Operators:1:PasswordHash"] = PasswordHasher.Hash(ViewerPassword, 10_000);
        settings["Operators:1:Roles:0"] = "Viewer";
        settings["Console:SecureCookies"] = "false";
        settings["StoreAndForward:FirstRetryDelayMs"] = "60000";
        settings["StoreAndForward:MaxRetryDelayMs"] = "60000";
        Process = await SwitchProcess.StartAsync(settings);
        Ledger = new LedgerProbe(database);
    }

    public async Task DisposeAsync()
    {
        Ledger.Dispose();
        await Process.DisposeAsync();
        await Provider.DisposeAsync();
    }

    /// <summary>A till of the switch, over the SUV API.</summary>
    public HttpClient Till() => Process.Client(SwitchFixture.ClientId, SwitchFixture.ClientPassword);

    /// <summary>A redemption approved through the switch, with its voucher code.</summary>
    public async Task<(RedemptionRequest Request, string Code)> RedeemedAsync()
    {
        var code = await Provider.ProvisionAsync();
        var request = Messages.Redemption(code);
        using var till = Till();
        var answer = await till.RedeemAsync(request);
        answer.Status.Should().Be(201, answer.Body);
        return (request, code);
    }

    /// <summary>An approved redemption whose confirmation the provider turns away (503) until told otherwise: a pending advice.</summary>
    public async Task<BasicAdvice> PendingConfirmationAsync()
    {
        var (request, _) = await RedeemedAsync();
        var confirmation = Messages.Confirmation(request.Id!);
        Provider.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503, MatchId: Upstream.Advice(confirmation)));
        using var till = Till();
        (await till.ConfirmAsync(confirmation)).Status.Should().Be(202);
        await Eventually.ReturnsAsync(() => Provider.Received(Operation.ConfirmRedemption, confirmation), n => n >= 1,
            TimeSpan.FromSeconds(30), "the provider to have turned the confirmation away once");
        return confirmation;
    }

    /// <summary>Plain HTTP to the console, without a browser: for what a browser would never send.</summary>
    public HttpClient Http(bool followRedirects = false)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = new Uri(Url) };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return client;
    }

    public static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
}

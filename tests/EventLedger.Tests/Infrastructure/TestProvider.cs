using System.Security.Cryptography;
using EventLedger.ProviderSimulator;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// The provider simulator as provider 44444444 (voucher prefix 4444) on a real loopback port, for
/// tests that run the switch as a process: it knows the switch's credentials, issues vouchers as
/// its sales channel would, and can go down and come back with its vouchers and log intact.
/// </summary>
public sealed class TestProvider : IAsyncDisposable
{
    public const string Id = SwitchFixture.SimulatedProvider;

    private readonly string _password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private TestProvider()
    {
    }

    public SimulatorServer Server { get; private set; } = null!;

    public string Url => Server.Url;

    public SimulatorControl Control => Server.Control;

    public VoucherBook Book => Server.Book;

    public static async Task<TestProvider> StartAsync()
    {
        var provider = new TestProvider();
        provider.Server = await SimulatorServer.StartAsync(provider.Options());
        return provider;
    }

    /// <summary>Adds it to a switch's settings as provider number <paramref name="index"/>.</summary>
    public void Configure(Dictionary<string, string> settings, int index, int timeoutMs = 2_000) =>
        SwitchFixture.AddProvider(settings, index, Id, Url, "4444", _password, timeoutMs);

    /// <summary>A voucher issued (and its sale confirmed, unless said otherwise), ready to redeem.</summary>
    public async Task<string> ProvisionAsync(bool confirm = true)
    {
        using var http = SimulatorClient.Create(new Uri(Url), SwitchFixture.SwitchInstitution, _password);
        return await SimulatorClient.ProvisionAsync(http, new Institution { Id = SwitchFixture.SwitchInstitution, Name = "Sales" },
            Messages.Originator(), 5_000, confirm);
    }

    /// <summary>A fresh voucher redeemed through the switch (201): the usual starting point for advices.</summary>
    public async Task<RedemptionRequest> RedeemedThroughAsync(HttpClient switchClient)
    {
        var request = Messages.Redemption(await ProvisionAsync());
        var answer = await switchClient.RedeemAsync(request);
        answer.Status.Should().Be(201, answer.Body);
        return request;
    }

    /// <summary>How many times it received a message of this operation with this id (the originator's; the provider's is looked for).</summary>
    public int Received(string operation, string id) =>
        Control.Received().Where(m => m.Operation == operation && m.Id == Upstream.For(operation, id)).Sum(m => m.Count);

    /// <summary>How many times it received this advice (under the switch's id for it).</summary>
    public int Received(string operation, BasicAdvice advice) =>
        Control.Received().Where(m => m.Operation == operation && m.Id == Upstream.Advice(advice)).Sum(m => m.Count);

    /// <summary>The provider goes down: its port refuses connections.</summary>
    public ValueTask StopAsync() => Server.DisposeAsync();

    /// <summary>The provider comes back on the same port with everything it knew.</summary>
    public async Task StartAgainAsync() => Server = await SimulatorServer.StartAsync(Options(), Url, previous: Server);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private SimulatorOptions Options() => new()
    {
        InstitutionId = Id,
        VoucherCodePrefix = "4444",
        Accounts = new Dictionary<string, string> { [SwitchFixture.SwitchInstitution] = _password },
    };
}

using System.Net.Http.Json;
using EventLedger.Operations;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Faults;

/// <summary>
/// The configuration changes between two runs of the switch while advices are pending or a
/// redemption is in flight: a provider removed, or its capabilities changed. The switch starts and
/// keeps running, holds what it cannot route (visible to operators with the reason), answers
/// originators by the table, and delivers the held advices once the provider is back.
/// </summary>
public sealed class ConfigurationChangeTests : IAsyncLifetime, IDisposable
{
    private const string Provider = TestProvider.Id;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestProvider _simulator = null!;
    private LedgerProbe _ledger = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.NewDatabaseAsync("config");
        _simulator = await TestProvider.StartAsync();
        _ledger = new LedgerProbe(_connectionString);
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public async Task A_provider_removed_with_advices_pending_they_are_held_and_delivered_when_it_returns()
    {
        RedemptionRequest first, second;
        BasicAdvice firstConfirmation;
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503));
        await using (var before = await SwitchProcess.StartAsync(Settings(withProvider: true)))
        {
            using var client = Originator(before);
            first = await _simulator.RedeemedThroughAsync(client);
            second = await _simulator.RedeemedThroughAsync(client);
            firstConfirmation = Messages.Confirmation(first.Id!);
            (await client.ConfirmAsync(firstConfirmation)).Status.Should().Be(202);
            await Eventually.ReturnsAsync(() => _simulator.Control.Received().Count(m => m.Id == Upstream.Advice(firstConfirmation)), n => n >= 1,
                Patience, "the confirmation to fail at the provider");
            await before.KillAsync();
        }

        var secondConfirmation = Messages.Confirmation(second.Id!);
        await using (var without = await SwitchProcess.StartAsync(Settings(withProvider: false)))
        {
            using var client = Originator(without);
            (await client.ConfirmAsync(secondConfirmation)).Status.Should().Be(202, "the table's answer: the ledger decides, not the route");
            (await client.ReverseAsync(Messages.Reversal(first.Id!))).Error.ErrorType.Should().Be(ErrorTypes.RedemptionAlreadyConfirmed);
            (await client.RedeemAsync(Messages.Redemption(await _simulator.ProvisionAsync()))).Error.ErrorType.Should().Be(ErrorTypes.RoutingError);

            var held = await Eventually.ReturnsAsync(() => HeldAsync(without), h => h.Count == 2, Patience, "both advices held");
            held.Should().OnlyContain(a => a.LastError == $"provider {Provider} is not configured");
            without.HasExited.Should().BeFalse();
            without.StackTraceLines.Should().BeEmpty(without.Output);
            await without.KillAsync();
        }

        _simulator.Control.Clear();
        await using var after = await SwitchProcess.StartAsync(Settings(withProvider: true));
        await AckedAsync(first.Id!, firstConfirmation.Id!);
        await AckedAsync(second.Id!, secondConfirmation.Id!);
        _simulator.Book.Redemption(Upstream.Request(first.Id!))!.State.Should().Be(SimulatedRedemptionState.Confirmed);
        _simulator.Book.Redemption(Upstream.Request(second.Id!))!.State.Should().Be(SimulatedRedemptionState.Confirmed);
    }

    [Fact]
    public async Task A_provider_that_stops_taking_confirmations_holds_those_pending_until_it_takes_them_again()
    {
        RedemptionRequest request;
        BasicAdvice confirmation;
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503));
        await using (var before = await SwitchProcess.StartAsync(Settings(withProvider: true)))
        {
            using var client = Originator(before);
            request = await _simulator.RedeemedThroughAsync(client);
            confirmation = Messages.Confirmation(request.Id!);
            (await client.ConfirmAsync(confirmation)).Status.Should().Be(202);
            await Eventually.ReturnsAsync(() => _simulator.Control.Received().Count(m => m.Id == Upstream.Advice(confirmation)), n => n >= 1,
                Patience, "the confirmation to fail at the provider");
            await before.KillAsync();
        }

        await using (var changed = await SwitchProcess.StartAsync(Settings(withProvider: true, takesConfirmations: false)))
        {
            var held = await Eventually.ReturnsAsync(() => HeldAsync(changed), h => h.Count == 1, Patience, "the confirmation held");
            held.Single().LastError.Should().Be($"provider {Provider} does not take confirmations");
            await changed.KillAsync();
        }

        _simulator.Control.Clear();
        await using var restored = await SwitchProcess.StartAsync(Settings(withProvider: true));
        await AckedAsync(request.Id!, confirmation.Id!);
    }

    [Fact]
    public async Task A_provider_removed_with_a_redemption_in_flight_recovery_reverses_it_once_the_provider_is_back()
    {
        var request = Messages.Redemption(await _simulator.ProvisionAsync());
        _simulator.Control.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: 1_000, Times: 1));
        await using (var before = await SwitchProcess.StartAsync(Settings(withProvider: true)))
        {
            using var client = Originator(before);
            var pending = client.RedeemAsync(request);
            await Eventually.ReturnsAsync(() => _simulator.Control.Received().Count(m => m.Id == Upstream.Request(request.Id!)), n => n == 1,
                Patience, "the redemption in flight");
            await before.KillAsync();
            await FluentActions.Awaiting(() => pending).Should().ThrowAsync<HttpRequestException>();
        }

        await using (var without = await SwitchProcess.StartAsync(Settings(withProvider: false)))
        {
            var held = await Eventually.ReturnsAsync(() => HeldAsync(without), h => h.Count == 1, Patience, "the switch's reversal held");
            held.Single().Should().BeEquivalentTo(new { Kind = AdviceKind.Reversal, RequestId = request.Id });
            (await _ledger.EventsAsync(request.Id!)).OfType<RedemptionReversed>().Single().Origin.Should().Be(ReversalOrigin.Switch);
            await without.KillAsync();
        }

        await using var after = await SwitchProcess.StartAsync(Settings(withProvider: true));
        var reversalId = (await _ledger.EventsAsync(request.Id!)).OfType<RedemptionReversed>().Single().AdviceId;
        await AckedAsync(request.Id!, reversalId);
        _simulator.Book.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Reversed);
    }

    /// <summary>The simulator as provider 44444444 (or not), beside a provider that stays configured throughout.</summary>
    private Dictionary<string, string> Settings(bool withProvider, bool takesConfirmations = true)
    {
        var settings = SwitchFixture.BaseSettings(_connectionString, applySchema: true);
        SwitchFixture.AddProvider(settings, 0, SwitchFixture.RefusingProvider, SilentServer.RefusingUrl(), "6666", "x", 2_000);
        if (withProvider)
        {
            _simulator.Configure(settings, 1);
            settings["Providers:1:TakesConfirmations"] = takesConfirmations ? "true" : "false";
        }

        return settings;
    }

    private static HttpClient Originator(SwitchProcess process) => process.Client(SwitchFixture.ClientId, SwitchFixture.ClientPassword);

    private static async Task<IReadOnlyList<AdviceView>> HeldAsync(SwitchProcess process)
    {
        using var ops = process.Client(SwitchFixture.OperatorId, SwitchFixture.OperatorPassword);
        return (await ops.GetFromJsonAsync<List<AdviceView>>("/ops/v1/advices?status=held", AdviceOperations.Json))!;
    }

    private Task AckedAsync(string requestId, string adviceId) => _ledger.AckedOnceAsync(requestId, adviceId, Patience);
}

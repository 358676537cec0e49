using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.Faults;

/// <summary>
/// A 504 given because the provider's answer could not be recorded in time, while an attempt whose
/// commit was in doubt had in fact recorded the approval: the ledger is made to say what the till
/// was told, before any other decision is made on the redemption.
/// </summary>
[Collection(SwitchTests.Name)]
public sealed class UnknownAnswerTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.Client();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_correction_owed_after_a_504_comes_before_the_next_decision_and_reverses_the_approval()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var policy = new Redeem.OutcomePolicy(request.Id!, TakesReversals: true, ReverseUnknownOutcomes: true);
        fixture.Host.Services.GetRequiredService<UnknownAnswers>()
            .Owe(Redemption.StreamKey(SwitchFixture.ClientId, request.Id!), policy, RedemptionWire.UnknownOutcome(request.Id!, "not recorded in time"));

        var confirmation = await _client.ConfirmAsync(Messages.Confirmation(request.Id!));

        confirmation.Error.ErrorType.Should().Be(ErrorTypes.RedemptionAlreadyReversed, "after a 504 the switch reverses, and the table refuses a confirmation");
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        events.Select(e => e.GetType()).Take(4).Should().Equal(
            typeof(RedemptionRequested), typeof(VoucherRedeemed), typeof(RedemptionAnsweredUnknown), typeof(RedemptionReversed));
        events.OfType<RedemptionReversed>().Single().Origin.Should().Be(ReversalOrigin.Switch);
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Reversed);
        var lookup = await Eventually.ReturnsAsync(async () => (int)(await _client.GetAsync($"/suv/v1/redemptions/{request.Id}")).StatusCode,
            s => s != 202, TimeSpan.FromSeconds(20), "the redemption to settle");
        lookup.Should().Be(504, "a lookup replays what the till was told");
    }
}

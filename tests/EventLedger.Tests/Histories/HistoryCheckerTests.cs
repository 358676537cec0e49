using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using static EventLedger.Tests.Redemptions.Given;

namespace EventLedger.Tests.Histories;

/// <summary>The judge of the histories, judged: hand-made histories it must accept, and ones it must reject.</summary>
public sealed class HistoryCheckerTests
{
    private const string ConfirmationId = "c0000000-0000-0000-0000-000000000001";
    private const string ReversalId = "d0000000-0000-0000-0000-000000000001";
    private static readonly RedemptionSpec Plain = new(VoucherKind.Fresh, RedeemFault.None);

    private static ObservedCall Call(OpKind kind, int from, int to, int? status, string? errorType = null, string? adviceId = null) =>
        new(kind, adviceId, TimeSpan.FromMilliseconds(from).Ticks, TimeSpan.FromMilliseconds(to).Ticks,
            status is { } s ? new Answer(s, errorType) : null, kind == OpKind.Redeem && status == 201 ? "{}" : null);

    private static RedemptionFacts Facts(IReadOnlyList<ObservedCall> calls, object[] events, SimulatedRedemptionState? provider, int lookupStatus = 200) =>
        new(RequestId, Plain, false, calls, [], (lookupStatus, "{}"), events, provider, false);

    private static readonly object[] ConfirmedHistory =
    [
        Requested(), Approved(), Confirmed(ConfirmationId), new ProviderAdviceAcked(AdviceKind.Confirmation, ConfirmationId, false, 202, Now),
    ];

    [Fact]
    public void A_confirmation_and_a_reversal_racing_are_explained_when_the_loser_got_the_tables_answer()
    {
        var calls = new[]
        {
            Call(OpKind.Redeem, 0, 10, 201),
            Call(OpKind.Confirm, 20, 40, 202, adviceId: ConfirmationId),
            Call(OpKind.Reverse, 20, 40, 400, ErrorTypes.RedemptionAlreadyConfirmed, ReversalId),
        };

        HistoryChecker.Check(Facts(calls, ConfirmedHistory, SimulatedRedemptionState.Confirmed), faultStruck: false).Should().BeEmpty();
    }

    [Fact]
    public void A_reversal_accepted_after_the_confirmation_had_committed_is_not_explained()
    {
        var calls = new[]
        {
            Call(OpKind.Redeem, 0, 10, 201),
            Call(OpKind.Confirm, 20, 30, 202, adviceId: ConfirmationId),
            Call(OpKind.Reverse, 40, 50, 202, adviceId: ReversalId),
        };

        HistoryChecker.Check(Facts(calls, ConfirmedHistory, SimulatedRedemptionState.Confirmed), faultStruck: false)
            .Should().ContainSingle().Which.Should().StartWith("no order of the calls explains");
    }

    [Fact]
    public void An_in_doubt_call_may_have_taken_effect_or_not()
    {
        var calls = new[]
        {
            Call(OpKind.Redeem, 0, 10, 201),
            Call(OpKind.Confirm, 20, 30, null, adviceId: ConfirmationId),
            Call(OpKind.Reverse, 40, 50, 400, ErrorTypes.RedemptionAlreadyConfirmed, ReversalId),
        };

        HistoryChecker.Check(Facts(calls, ConfirmedHistory, SimulatedRedemptionState.Confirmed), faultStruck: false).Should().BeEmpty();
    }

    [Fact]
    public void A_forwarded_advice_the_provider_never_answered_is_lost()
    {
        var events = ConfirmedHistory[..3];

        HistoryChecker.Check(Facts([Call(OpKind.Redeem, 0, 10, 201), Call(OpKind.Confirm, 20, 30, 202, adviceId: ConfirmationId)], events,
            SimulatedRedemptionState.Redeemed), faultStruck: false)
            .Should().Contain($"advice {ConfirmationId} answered by the provider 0 times in the ledger");
    }

    [Fact]
    public void A_provider_still_holding_a_redemption_the_ledger_reversed_disagrees()
    {
        var events = new object[]
        {
            Requested(), Approved(), Reversed(), new ProviderAdviceAcked(AdviceKind.Reversal, ReversalId, false, 404, Now),
        };
        var calls = new[] { Call(OpKind.Redeem, 0, 10, 201), Call(OpKind.Reverse, 20, 30, 202, adviceId: ReversalId) };

        HistoryChecker.Check(Facts(calls, events, SimulatedRedemptionState.Redeemed), faultStruck: false)
            .Should().ContainSingle().Which.Should().Contain("the provider holds the redemption as Redeemed");
    }

    [Fact]
    public void A_settled_lookup_that_does_not_replay_the_original_answer_is_caught()
    {
        var calls = new[] { Call(OpKind.Redeem, 0, 10, 201) };

        HistoryChecker.Check(Facts(calls, [Requested(), Approved()], SimulatedRedemptionState.Redeemed, lookupStatus: 504), faultStruck: false)
            .Should().ContainSingle().Which.Should().StartWith("settled lookup answered 504");
    }

    [Fact]
    public void An_outcome_that_does_not_fit_the_providers_fault_is_caught()
    {
        var facts = Facts([Call(OpKind.Redeem, 0, 10, 201)], [Requested(), Approved()], SimulatedRedemptionState.Redeemed)
            with { Spec = new RedemptionSpec(VoucherKind.Fresh, RedeemFault.Answers500) };

        HistoryChecker.Check(facts, faultStruck: true).Should().ContainSingle().Which.Should().StartWith("outcome Approved does not fit");
    }
}

using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using static EventLedger.Tests.Redemptions.Given;
using static EventLedger.Tests.Redemptions.ProviderAnswers;

namespace EventLedger.Tests.Redemptions;

/// <summary>What the ledger records when the originator was told "unknown" (504) while the provider's answer could not be recorded, case by case.</summary>
public sealed class UnknownAnswersTests
{
    private static readonly UpstreamOutcome.Unknown Unrecorded = RedemptionWire.UnknownOutcome(RequestId, "not recorded");

    [Fact]
    public void Answered_unknown_while_the_request_still_awaits_its_provider_records_unknown_and_the_switchs_reversal()
    {
        var events = UnknownAnswers.Decide(Made(Requested()), Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
    }

    [Fact]
    public void Answered_unknown_after_an_approval_recorded_in_doubt_marks_it_so_and_reverses_it()
    {
        var events = UnknownAnswers.Decide(Made(Requested(), Approved()), Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionAnsweredUnknown), typeof(RedemptionReversed));
        var state = Made([Requested(), Approved(), .. events]);
        state.Outcome.Should().Be(RedemptionOutcome.Unknown);
        state.Reversal.Should().BeEquivalentTo(new { Origin = ReversalOrigin.Switch });
    }

    [Fact]
    public void Answered_unknown_after_the_originator_already_resolved_it_only_marks_it()
    {
        var events = UnknownAnswers.Decide(Made(Requested(), Approved(), Given.Reversed()), Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Should().ContainSingle().Which.Should().BeOfType<RedemptionAnsweredUnknown>();
    }

    [Fact]
    public void Answered_unknown_after_a_decline_recorded_in_doubt_marks_it_and_resolves_it_with_nothing_to_send()
    {
        var events = UnknownAnswers.Decide(Made(Requested(), Declined()), Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionAnsweredUnknown), typeof(RedemptionReversed));
        events.OfType<RedemptionReversed>().Single().Delivery.Should().Be(AdviceDelivery.NotNeeded);
        var state = Redemption.Fold([Requested(), Declined(), .. events])!;
        Confirm.Decide(state, Given.Confirmation(), true, Now).Answer.Json.Should().Contain(ErrorTypes.RedemptionAlreadyReversed,
            "after a 504 the table refuses a confirmation");
    }

    [Fact]
    public void Answered_unknown_when_recovery_got_there_first_adds_nothing()
    {
        var events = UnknownAnswers.Decide(Made(Requested(), Unknown()), Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Should().BeEmpty();
    }
}

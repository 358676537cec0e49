using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using static EventLedger.Tests.Redemptions.Given;

namespace EventLedger.Tests.Redemptions;

/// <summary>The advice table of docs/protocol.md: one test per cell, given events, when advice, then events and answer.</summary>
public sealed class AdviceTableTests
{
    // ---- confirmation column ----

    [Fact]
    public void Confirmation_of_an_unknown_request_is_404_naming_both_ids_and_writes_nothing()
    {
        var decision = Confirm.Decide(null, Confirmation(), true, Now);

        decision.Events.Should().BeEmpty();
        AssertError(decision, 404, ErrorTypes.UnableToLocateRecord, Confirmation().AdviceId, RequestId);
    }

    [Fact]
    public void Confirmation_when_only_a_reversal_came_is_404()
    {
        var decision = Confirm.Decide(State(ReversalBeforeRequest()), Confirmation(), true, Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Status.Should().Be(404);
    }

    [Fact]
    public void Confirmation_while_waiting_for_the_provider_is_a_retryable_5xx_and_writes_nothing()
    {
        var decision = Confirm.Decide(State(Requested()), Confirmation(), true, Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Status.Should().BeInRange(500, 599);
        Error(decision).ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
    }

    [Fact]
    public void Confirmation_of_a_declined_redemption_is_voucher_not_redeemed_and_recorded_once()
    {
        var first = Confirm.Decide(State(Requested(), Declined()), Confirmation(), true, Now);
        var repeat = Confirm.Decide(State([Requested(), Declined(), .. first.Events]), Confirmation(), true, Now);

        AssertError(first, 400, ErrorTypes.VoucherNotRedeemed, Confirmation().AdviceId, RequestId);
        first.Events.Should().Equal(new AdviceRefused(AdviceKind.Confirmation, Confirmation().AdviceId, 400, ErrorTypes.VoucherNotRedeemed, Now));
        repeat.Answer.Should().Be(first.Answer);
        repeat.Events.Should().BeEmpty();
    }

    [Fact]
    public void Refusals_are_recorded_up_to_the_cap_and_answered_alike_beyond_it()
    {
        var refused = Enumerable.Range(0, Advices.MaxRecordedRefusals)
            .Select(i => (object)new AdviceRefused(AdviceKind.Confirmation, $"advice-{i}", 400, ErrorTypes.VoucherNotRedeemed, Now));
        var full = State([Requested(), Declined(), .. refused]);

        var beyond = Confirm.Decide(full, Confirmation(), true, Now);

        beyond.Events.Should().BeEmpty("a client sending refused advices under new ids cannot grow the stream without bound");
        AssertError(beyond, 400, ErrorTypes.VoucherNotRedeemed, Confirmation().AdviceId, RequestId);
    }

    [Fact]
    public void Confirmation_of_a_redemption_never_sent_is_voucher_not_redeemed()
    {
        var decision = Confirm.Decide(State(Requested(), NotSent()), Confirmation(), true, Now);

        AssertError(decision, 400, ErrorTypes.VoucherNotRedeemed, Confirmation().AdviceId, RequestId);
    }

    [Fact]
    public void Confirmation_of_an_unknown_outcome_the_switch_is_reversing_is_already_reversed()
    {
        var state = State(Requested(), Unknown(), Reversed(ReversalOrigin.Switch));

        var decision = Confirm.Decide(state, Confirmation(), true, Now);

        AssertError(decision, 400, ErrorTypes.RedemptionAlreadyReversed, Confirmation().AdviceId, RequestId);
    }

    [Fact]
    public void Confirmation_of_an_unknown_outcome_without_a_switch_reversal_is_forwarded_for_the_provider_to_decide()
    {
        var decision = Confirm.Decide(State(Requested(), Unknown()), Confirmation(), true, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().Equal(new RedemptionConfirmed(Confirmation().AdviceId, Confirmation().AdviceJson, AdviceDelivery.Forward, Now));
    }

    [Fact]
    public void Confirmation_of_an_approved_redemption_is_accepted_echoed_and_forwarded()
    {
        var decision = Confirm.Decide(State(Requested(), Approved()), Confirmation(), true, Now);

        decision.Answer.Should().Be(new OriginatorAnswer(202, Confirmation().AdviceJson));
        decision.Events.Should().Equal(new RedemptionConfirmed(Confirmation().AdviceId, Confirmation().AdviceJson, AdviceDelivery.Forward, Now));
    }

    [Fact]
    public void Confirmation_for_a_provider_taking_none_is_consumed_by_the_switch()
    {
        var decision = Confirm.Decide(State(Requested(), Approved()), Confirmation(), false, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().Equal(
            new RedemptionConfirmed(Confirmation().AdviceId, Confirmation().AdviceJson, AdviceDelivery.ConsumedBySwitch, Now),
            new ProviderAdviceAcked(AdviceKind.Confirmation, Confirmation().AdviceId, true, null, Now));
    }

    [Theory]
    [InlineData("c0000000-0000-0000-0000-000000000001")]
    [InlineData("c0000000-0000-0000-0000-000000000002")]
    public void Confirmation_of_a_confirmed_redemption_is_accepted_again_with_no_new_effect(string adviceId)
    {
        var decision = Confirm.Decide(State(Requested(), Approved(), Confirmed()), Confirmation(adviceId), true, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().BeEmpty();
    }

    [Fact]
    public void Confirmation_of_a_reversed_redemption_is_already_reversed()
    {
        var decision = Confirm.Decide(State(Requested(), Approved(), Reversed()), Confirmation(), true, Now);

        AssertError(decision, 400, ErrorTypes.RedemptionAlreadyReversed, Confirmation().AdviceId, RequestId);
        decision.Events.Should().ContainSingle().Which.Should().BeOfType<AdviceRefused>();
    }

    // ---- reversal column ----

    [Fact]
    public void Reversal_of_an_unknown_request_is_404_and_recorded_so_a_late_request_is_refused()
    {
        var decision = Reverse.Decide(null, Reversal(), true, Now);

        AssertError(decision, 404, ErrorTypes.UnableToLocateRecord, Reversal().AdviceId, RequestId);
        decision.Events.Should().Equal(new ReversalReceivedBeforeRequest(ClientId, RequestId, Reversal().AdviceId, Reversal().AdviceJson, Now));
    }

    [Fact]
    public void Reversal_repeated_before_its_request_is_404_again_with_no_new_event()
    {
        var decision = Reverse.Decide(State(ReversalBeforeRequest()), Reversal(), true, Now);

        decision.Answer.Status.Should().Be(404);
        decision.Events.Should().BeEmpty();
    }

    [Fact]
    public void Reversal_while_waiting_for_the_provider_is_accepted_and_its_delivery_waits_for_the_outcome()
    {
        var decision = Reverse.Decide(State(Requested()), Reversal(), true, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().Equal(OriginatorReversal(Reversal(), AdviceDelivery.AwaitingOutcome));
    }

    [Fact]
    public void Reversal_of_a_declined_redemption_is_accepted_with_nothing_to_forward()
    {
        var decision = Reverse.Decide(State(Requested(), Declined()), Reversal(), true, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().Equal(OriginatorReversal(Reversal(), AdviceDelivery.NotNeeded));
    }

    [Fact]
    public void Reversal_of_a_redemption_never_sent_is_accepted_with_nothing_to_forward()
    {
        var decision = Reverse.Decide(State(Requested(), NotSent()), Reversal(), true, Now);

        decision.Events.Should().Equal(OriginatorReversal(Reversal(), AdviceDelivery.NotNeeded));
    }

    [Fact]
    public void Reversal_of_an_unknown_outcome_the_switch_already_reverses_is_accepted_and_adds_no_second_reversal()
    {
        var decision = Reverse.Decide(State(Requested(), Unknown(), Reversed(ReversalOrigin.Switch)), Reversal(), true, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().BeEmpty();
    }

    [Fact]
    public void Reversal_of_an_unknown_outcome_without_a_switch_reversal_is_forwarded()
    {
        var decision = Reverse.Decide(State(Requested(), Unknown()), Reversal(), true, Now);

        decision.Events.Should().Equal(OriginatorReversal(Reversal(), AdviceDelivery.Forward));
    }

    [Fact]
    public void Reversal_of_an_approved_redemption_is_accepted_echoed_and_forwarded()
    {
        var decision = Reverse.Decide(State(Requested(), Approved()), Reversal(), true, Now);

        decision.Answer.Should().Be(new OriginatorAnswer(202, Reversal().AdviceJson));
        decision.Events.Should().Equal(OriginatorReversal(Reversal(), AdviceDelivery.Forward));
    }

    [Fact]
    public void Reversal_for_a_provider_taking_none_is_consumed_by_the_switch()
    {
        var decision = Reverse.Decide(State(Requested(), Approved()), Reversal(), false, Now);

        decision.Events.Should().Equal(
            OriginatorReversal(Reversal(), AdviceDelivery.ConsumedBySwitch),
            new ProviderAdviceAcked(AdviceKind.Reversal, Reversal().AdviceId, true, null, Now));
    }

    [Fact]
    public void Reversal_of_a_confirmed_redemption_is_already_confirmed()
    {
        var decision = Reverse.Decide(State(Requested(), Approved(), Confirmed()), Reversal(), true, Now);

        AssertError(decision, 400, ErrorTypes.RedemptionAlreadyConfirmed, Reversal().AdviceId, RequestId);
        decision.Events.Should().Equal(new AdviceRefused(AdviceKind.Reversal, Reversal().AdviceId, 400, ErrorTypes.RedemptionAlreadyConfirmed, Now));
    }

    [Theory]
    [InlineData("b0000000-0000-0000-0000-000000000001")]
    [InlineData("b0000000-0000-0000-0000-000000000009")]
    public void Reversal_of_a_reversed_redemption_is_accepted_again_with_no_new_effect(string adviceId)
    {
        var decision = Reverse.Decide(State(Requested(), Approved(), Reversed()), Reversal(adviceId), true, Now);

        decision.Answer.Status.Should().Be(202);
        decision.Events.Should().BeEmpty();
    }

    private static RedemptionReversed OriginatorReversal(AdviceCommand advice, AdviceDelivery delivery) =>
        new(advice.AdviceId, ReversalOrigin.Originator, "CANCELLED", advice.AdviceJson, delivery, Now);

    private static ErrorDetail Error(Decision<OriginatorAnswer> decision) => SuvJson.Deserialize<ErrorDetail>(decision.Answer.Json);

    private static void AssertError(Decision<OriginatorAnswer> decision, int status, string errorType, string id, string originalId)
    {
        decision.Answer.Status.Should().Be(status);
        var error = Error(decision);
        error.ErrorType.Should().Be(errorType);
        error.Id.Should().Be(id);
        error.OriginalId.Should().Be(originalId);
    }
}

using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using static EventLedger.Tests.Redemptions.Given;
using static EventLedger.Tests.Redemptions.ProviderAnswers;

namespace EventLedger.Tests.Redemptions;

/// <summary>The outcome table and the duplicate rules of docs/protocol.md, cell by cell.</summary>
public sealed class OutcomeTableTests
{
    [Fact]
    public void A_new_request_is_recorded_with_the_code_masked_before_anything_is_sent()
    {
        var decision = Redeem.DecideRequest(null, Given.Command(), Now);

        decision.Answer.Should().BeNull();
        var requested = decision.Events.Should().ContainSingle().Which.Should().BeOfType<RedemptionRequested>().Subject;
        requested.RequestId.Should().Be(RequestId);
        requested.VoucherCodeMasked.Should().Be("************9012");
        requested.UpstreamRequestJson.Should().NotContain("4444123456789012").And.Contain("************9012");
        requested.RequestAmountMinor.Should().Be(10_000);
    }

    [Fact]
    public void A_request_recorded_by_its_own_attempt_whose_commit_was_in_doubt_goes_on_to_the_provider()
    {
        var decision = Redeem.DecideRequest(State(Requested()), Given.Command(), Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Should().BeNull();
    }

    [Fact]
    public void A_request_id_seen_before_is_a_duplicate_whatever_its_state()
    {
        var another = Given.Command() with { SwitchReference = "ANOTHER" };
        foreach (var history in new object[][] { [Requested()], [Requested(), Approved()], [Requested(), Declined()] })
        {
            var decision = Redeem.DecideRequest(State(history), another, Now);

            decision.Events.Should().BeEmpty();
            var error = Error(decision.Answer!);
            decision.Answer!.Status.Should().Be(400);
            error.ErrorType.Should().Be(ErrorTypes.DuplicateRecord);
            error.Id.Should().Be(RequestId);
        }
    }

    [Fact]
    public void A_request_whose_reversal_came_first_is_already_reversed_naming_the_reversal()
    {
        var decision = Redeem.DecideRequest(State(ReversalBeforeRequest()), Given.Command(), Now);

        decision.Events.Should().BeEmpty();
        var error = Error(decision.Answer!);
        error.ErrorType.Should().Be(ErrorTypes.RedemptionAlreadyReversed);
        error.Id.Should().Be(RequestId);
        error.OriginalId.Should().Be(ReversalBeforeRequest().AdviceId);
    }

    [Fact]
    public void An_approval_is_recorded_as_redeemed()
    {
        var outcome = Approval();

        var decision = Redeem.DecideOutcome(Made(Requested()), outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new VoucherRedeemed(201, outcome.Answer.Json, 10_000, "710", "PREF1", Now, ((UpstreamOutcome.Approved)outcome).ProviderIdentifiers));
        decision.Answer.Should().Be(outcome.Answer);
    }

    [Fact]
    public void An_outcome_already_recorded_by_an_attempt_whose_commit_was_in_doubt_is_answered_as_recorded()
    {
        var outcome = Approval();

        var decision = Redeem.DecideOutcome(Made(Requested(), Approved()), outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Should().Be(outcome.Answer);
    }

    [Fact]
    public void A_decline_is_recorded_and_nothing_is_reversed()
    {
        var outcome = RedemptionWire.Classify(Answered(400, ErrorJson(ErrorTypes.VoucherAlreadyRedeemed)), Given.Command());

        var decision = Redeem.DecideOutcome(Made(Requested()), outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().Equal(new RedemptionDeclined(400, ErrorTypes.VoucherAlreadyRedeemed, outcome.Answer.Json, Now));
    }

    [Fact]
    public void A_request_never_sent_is_final_and_needs_no_reversal()
    {
        var outcome = RedemptionWire.Classify(new UpstreamResult.NotSent("refused"), Given.Command());

        var decision = Redeem.DecideOutcome(Made(Requested()), outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().ContainSingle().Which.Should().BeOfType<RedemptionNotSent>();
        decision.Answer.Status.Should().Be(503);
    }

    [Fact]
    public void An_unknown_outcome_queues_the_switchs_own_reversal_by_default()
    {
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), Given.Command());

        var decision = Redeem.DecideOutcome(Made(Requested()), outcome, Given.Command(), SwitchReversalId, Now);

        decision.Answer.Status.Should().Be(504);
        decision.Events.Should().HaveCount(2);
        decision.Events[0].Should().BeOfType<RedemptionOutcomeUnknown>();
        var reversal = decision.Events[1].Should().BeOfType<RedemptionReversed>().Subject;
        reversal.Should().BeEquivalentTo(new { AdviceId = SwitchReversalId, Origin = ReversalOrigin.Switch, ReversalReason = "TIMEOUT", Delivery = AdviceDelivery.Forward });
        var message = SuvJson.Deserialize<BasicReversal>(reversal.AdviceJson);
        message.RequestId.Should().Be(RequestId);
        message.ReversalReason.Should().Be("TIMEOUT");
    }

    [Fact]
    public void An_unknown_outcome_is_left_alone_when_the_providers_policy_says_so()
    {
        var command = Given.Command(reverseUnknown: false);
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), command);

        var decision = Redeem.DecideOutcome(Made(Requested()), outcome, command, SwitchReversalId, Now);

        decision.Events.Should().ContainSingle().Which.Should().BeOfType<RedemptionOutcomeUnknown>();
    }

    [Fact]
    public void The_switchs_reversal_is_consumed_when_the_provider_takes_no_reversals()
    {
        var command = Given.Command(takesReversals: false);
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), command);

        var decision = Redeem.DecideOutcome(Made(Requested()), outcome, command, SwitchReversalId, Now);

        decision.Events.Should().HaveCount(3);
        decision.Events[1].Should().BeOfType<RedemptionReversed>().Which.Delivery.Should().Be(AdviceDelivery.ConsumedBySwitch);
        decision.Events[2].Should().Be(new ProviderAdviceAcked(AdviceKind.Reversal, SwitchReversalId, true, null, Now));
    }

    [Fact]
    public void A_reversal_that_came_in_flight_is_forwarded_once_the_provider_approves()
    {
        var state = Made(Requested(), Given.Reversed(delivery: AdviceDelivery.AwaitingOutcome));

        var decision = Redeem.DecideOutcome(state, Approval(), Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().HaveCount(2);
        decision.Events[1].Should().Be(new PendingReversalSettled(Given.Reversed().AdviceId, AdviceDelivery.Forward, Now));
    }

    [Fact]
    public void A_reversal_that_came_in_flight_needs_nothing_when_the_provider_declines()
    {
        var state = Made(Requested(), Given.Reversed(delivery: AdviceDelivery.AwaitingOutcome));
        var outcome = RedemptionWire.Classify(Answered(400, ErrorJson(ErrorTypes.VoucherNotRedeemable)), Given.Command());

        var decision = Redeem.DecideOutcome(state, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events[1].Should().Be(new PendingReversalSettled(Given.Reversed().AdviceId, AdviceDelivery.NotNeeded, Now));
    }

    [Fact]
    public void A_reversal_that_came_in_flight_is_the_only_one_forwarded_when_the_outcome_is_unknown()
    {
        var state = Made(Requested(), Given.Reversed(delivery: AdviceDelivery.AwaitingOutcome));
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), Given.Command());

        var decision = Redeem.DecideOutcome(state, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().HaveCount(2);
        decision.Events[1].Should().Be(new PendingReversalSettled(Given.Reversed().AdviceId, AdviceDelivery.Forward, Now));
        decision.Events.OfType<RedemptionReversed>().Should().BeEmpty();
    }

    [Fact]
    public void An_answer_arriving_after_recovery_declared_the_outcome_unknown_changes_nothing()
    {
        var recovered = Made(Requested(), Unknown(), Given.Reversed(ReversalOrigin.Switch));

        var decision = Redeem.DecideOutcome(recovered, Approval(), Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Status.Should().Be(504, "the ledger's unknown stands; its reversal settles the provider's side");
    }
}

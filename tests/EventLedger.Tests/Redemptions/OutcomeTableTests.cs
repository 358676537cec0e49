using System.Text;
using System.Text.Json.Nodes;
using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using static EventLedger.Tests.Redemptions.Given;

namespace EventLedger.Tests.Redemptions;

/// <summary>The outcome table and the duplicate rules of docs/protocol.md, cell by cell.</summary>
public sealed class OutcomeTableTests
{
    private const string SwitchReversalId = "f0000000-0000-0000-0000-000000000001";

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

        var decision = Redeem.DecideOutcome(State(Requested())!, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().ContainSingle().Which.Should().BeEquivalentTo(
            new VoucherRedeemed(201, outcome.Answer.Json, 10_000, "710", "PREF1", Now, ((UpstreamOutcome.Approved)outcome).ProviderIdentifiers));
        decision.Answer.Should().Be(outcome.Answer);
    }

    [Fact]
    public void An_outcome_already_recorded_by_an_attempt_whose_commit_was_in_doubt_is_answered_as_recorded()
    {
        var outcome = Approval();

        var decision = Redeem.DecideOutcome(State(Requested(), Approved())!, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Should().Be(outcome.Answer);
    }

    // ---- a 504 given because the provider's answer could not be recorded in time ----

    private static readonly UpstreamOutcome.Unknown Unrecorded = RedemptionWire.UnknownOutcome(RequestId, "not recorded");

    [Fact]
    public void Answered_unknown_while_the_request_still_awaits_its_provider_records_unknown_and_the_switchs_reversal()
    {
        var events = UnknownAnswers.Decide(State(Requested())!, Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
    }

    [Fact]
    public void Answered_unknown_after_an_approval_recorded_in_doubt_marks_it_so_and_reverses_it()
    {
        var events = UnknownAnswers.Decide(State(Requested(), Approved())!, Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionAnsweredUnknown), typeof(RedemptionReversed));
        Redemption.Fold([Requested(), Approved(), .. events])!.Should().BeEquivalentTo(new
        {
            Outcome = RedemptionOutcome.Unknown, Resolution = RedemptionResolution.Reversed, ReversedBy = ReversalOrigin.Switch,
        });
    }

    [Fact]
    public void Answered_unknown_after_the_originator_already_resolved_it_only_marks_it()
    {
        var events = UnknownAnswers.Decide(State(Requested(), Approved(), Given.Reversed())!, Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Should().ContainSingle().Which.Should().BeOfType<RedemptionAnsweredUnknown>();
    }

    [Fact]
    public void Answered_unknown_after_a_decline_recorded_in_doubt_marks_it_and_resolves_it_with_nothing_to_send()
    {
        var events = UnknownAnswers.Decide(State(Requested(), Declined())!, Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionAnsweredUnknown), typeof(RedemptionReversed));
        events.OfType<RedemptionReversed>().Single().Delivery.Should().Be(AdviceDelivery.NotNeeded);
        var state = Redemption.Fold([Requested(), Declined(), .. events])!;
        Confirm.Decide(state, Given.Confirmation(), true, Now).Answer.Json.Should().Contain(ErrorTypes.RedemptionAlreadyReversed,
            "after a 504 the table refuses a confirmation");
    }

    [Fact]
    public void Answered_unknown_when_recovery_got_there_first_adds_nothing()
    {
        var events = UnknownAnswers.Decide(State(Requested(), Unknown())!, Redeem.OutcomePolicy.For(Given.Command()), Unrecorded, SwitchReversalId, Now);

        events.Should().BeEmpty();
    }

    [Fact]
    public void A_decline_is_recorded_and_nothing_is_reversed()
    {
        var outcome = RedemptionWire.Classify(Answered(400, ErrorJson(ErrorTypes.VoucherAlreadyRedeemed)), Given.Command());

        var decision = Redeem.DecideOutcome(State(Requested())!, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().Equal(new RedemptionDeclined(400, ErrorTypes.VoucherAlreadyRedeemed, outcome.Answer.Json, Now));
    }

    [Fact]
    public void A_request_never_sent_is_final_and_needs_no_reversal()
    {
        var outcome = RedemptionWire.Classify(new UpstreamResult.NotSent("refused"), Given.Command());

        var decision = Redeem.DecideOutcome(State(Requested())!, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().ContainSingle().Which.Should().BeOfType<RedemptionNotSent>();
        decision.Answer.Status.Should().Be(503);
    }

    [Fact]
    public void An_unknown_outcome_queues_the_switchs_own_reversal_by_default()
    {
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), Given.Command());

        var decision = Redeem.DecideOutcome(State(Requested())!, outcome, Given.Command(), SwitchReversalId, Now);

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

        var decision = Redeem.DecideOutcome(State(Requested())!, outcome, command, SwitchReversalId, Now);

        decision.Events.Should().ContainSingle().Which.Should().BeOfType<RedemptionOutcomeUnknown>();
    }

    [Fact]
    public void The_switchs_reversal_is_consumed_when_the_provider_takes_no_reversals()
    {
        var command = Given.Command(takesReversals: false);
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), command);

        var decision = Redeem.DecideOutcome(State(Requested())!, outcome, command, SwitchReversalId, Now);

        decision.Events.Should().HaveCount(3);
        decision.Events[1].Should().BeOfType<RedemptionReversed>().Which.Delivery.Should().Be(AdviceDelivery.ConsumedBySwitch);
        decision.Events[2].Should().Be(new ProviderAdviceAcked(AdviceKind.Reversal, SwitchReversalId, true, null, Now));
    }

    [Fact]
    public void A_reversal_that_came_in_flight_is_forwarded_once_the_provider_approves()
    {
        var state = State(Requested(), Given.Reversed(delivery: AdviceDelivery.AwaitingOutcome))!;

        var decision = Redeem.DecideOutcome(state, Approval(), Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().HaveCount(2);
        decision.Events[1].Should().Be(new PendingReversalSettled(Given.Reversed().AdviceId, AdviceDelivery.Forward, Now));
    }

    [Fact]
    public void A_reversal_that_came_in_flight_needs_nothing_when_the_provider_declines()
    {
        var state = State(Requested(), Given.Reversed(delivery: AdviceDelivery.AwaitingOutcome))!;
        var outcome = RedemptionWire.Classify(Answered(400, ErrorJson(ErrorTypes.VoucherNotRedeemable)), Given.Command());

        var decision = Redeem.DecideOutcome(state, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events[1].Should().Be(new PendingReversalSettled(Given.Reversed().AdviceId, AdviceDelivery.NotNeeded, Now));
    }

    [Fact]
    public void A_reversal_that_came_in_flight_is_the_only_one_forwarded_when_the_outcome_is_unknown()
    {
        var state = State(Requested(), Given.Reversed(delivery: AdviceDelivery.AwaitingOutcome))!;
        var outcome = RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), Given.Command());

        var decision = Redeem.DecideOutcome(state, outcome, Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().HaveCount(2);
        decision.Events[1].Should().Be(new PendingReversalSettled(Given.Reversed().AdviceId, AdviceDelivery.Forward, Now));
        decision.Events.OfType<RedemptionReversed>().Should().BeEmpty();
    }

    [Fact]
    public void An_answer_arriving_after_recovery_declared_the_outcome_unknown_changes_nothing()
    {
        var recovered = State(Requested(), Unknown(), Given.Reversed(ReversalOrigin.Switch))!;

        var decision = Redeem.DecideOutcome(recovered, Approval(), Given.Command(), SwitchReversalId, Now);

        decision.Events.Should().BeEmpty();
        decision.Answer.Status.Should().Be(504, "the ledger's unknown stands; its reversal settles the provider's side");
    }

    // ---- classification of the provider's answer ----

    [Fact]
    public void An_approval_answers_201_with_the_providers_response_the_switch_reference_and_the_originators_own_fields()
    {
        var outcome = Approval();

        outcome.Answer.Status.Should().Be(201);
        var response = SuvJson.Deserialize<RedemptionResponse>(outcome.Answer.Json);
        response.Id.Should().Be(RequestId);
        response.Time.Should().Be(Messages.Time);
        response.Client!.Id.Should().Be(ClientId);
        response.ThirdPartyIdentifiers!.Select(t => t.InstitutionId).Should().Equal("11111111", ClientId, "44444444", "33333333");
        response.ThirdPartyIdentifiers!.Single(t => t.InstitutionId == "33333333").TransactionIdentifier.Should().Be("SWITCHREF");
        response.Voucher!.Code.Should().BeNull("the contract recommends the code appear only in requests");
        outcome.Answer.Json.Should().NotContain("4444123456789012");
    }

    [Fact]
    public void The_switch_reference_is_not_added_twice_when_the_provider_echoes_it()
    {
        var outcome = Approval(echoSwitchReference: true);

        SuvJson.Deserialize<RedemptionResponse>(outcome.Answer.Json).ThirdPartyIdentifiers!
            .Count(t => t.InstitutionId == "33333333").Should().Be(1);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(409)]
    public void A_provider_4xx_is_passed_through_with_its_status_provider_codes_and_a_short_message(int status)
    {
        var long100 = new string('x', 100);
        var body = new JsonObject
        {
            ["id"] = "something-else", ["errorType"] = ErrorTypes.VoucherAlreadyRedeemed, ["errorMessage"] = long100,
            ["providerErrorCode"] = "E42", ["providerErrorMessage"] = "spent",
        }.ToJsonString();

        var outcome = RedemptionWire.Classify(Answered(status, body), Given.Command());

        outcome.Should().BeOfType<UpstreamOutcome.Declined>();
        outcome.Answer.Status.Should().Be(status);
        var error = Error(outcome.Answer);
        error.Should().BeEquivalentTo(new
        {
            Id = RequestId, ErrorType = ErrorTypes.VoucherAlreadyRedeemed, ErrorMessage = long100[..80],
            ProviderErrorCode = "E42", ProviderErrorMessage = "spent",
        });
    }

    [Fact]
    public void A_provider_4xx_without_an_error_detail_is_still_a_decline()
    {
        var outcome = RedemptionWire.Classify(Answered(400, "<html>bad</html>"), Given.Command());

        outcome.Should().BeOfType<UpstreamOutcome.Declined>();
        Error(outcome.Answer).ErrorType.Should().Be(ErrorTypes.GeneralError);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void A_provider_5xx_is_an_unknown_outcome_answered_504(int status)
    {
        var outcome = RedemptionWire.Classify(Answered(status, ErrorJson(ErrorTypes.GeneralError)), Given.Command());

        outcome.Should().BeOfType<UpstreamOutcome.Unknown>();
        outcome.Answer.Status.Should().Be(504);
        Error(outcome.Answer).ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
    }

    [Fact]
    public void A_provider_2xx_that_is_not_a_valid_response_is_an_unknown_outcome()
    {
        RedemptionWire.Classify(Answered(201, "{\"id\":42"), Given.Command()).Should().BeOfType<UpstreamOutcome.Unknown>();
    }

    [Fact]
    public void No_connection_is_503_and_no_answer_is_504()
    {
        RedemptionWire.Classify(new UpstreamResult.NotSent("refused"), Given.Command()).Answer.Status.Should().Be(503);
        RedemptionWire.Classify(new UpstreamResult.NoAnswer("timeout"), Given.Command()).Answer.Status.Should().Be(504);
    }

    [Fact]
    public void The_request_sent_upstream_names_the_switch_as_client_and_keeps_every_other_partys_identifiers()
    {
        var upstream = RedemptionWire.Upstream(Given.Command());

        upstream.Client!.Id.Should().Be("33333333");
        upstream.Originator.Should().BeEquivalentTo(Messages.Originator());
        upstream.ThirdPartyIdentifiers!.Select(t => (t.InstitutionId, t.TransactionIdentifier))
            .Should().Equal(("11111111", "ORIG0001"), (ClientId, "CLNT0001"), ("33333333", "SWITCHREF"));
        upstream.Voucher!.Code.Should().Be("4444123456789012", "the provider needs the code to redeem it");
    }

    private static UpstreamOutcome Approval(bool echoSwitchReference = false)
    {
        var upstream = RedemptionWire.Upstream(Given.Command());
        var identifiers = upstream.ThirdPartyIdentifiers!.Where(t => echoSwitchReference || t.InstitutionId != "33333333").ToList();
        var response = new RedemptionResponse
        {
            Id = upstream.Id, Time = "2026-11-25T10:03:04Z", Originator = upstream.Originator, Client = upstream.Client,
            Receiver = new Institution { Id = "44444444", Name = "Provider" },
            ThirdPartyIdentifiers = [.. identifiers, new ThirdPartyIdentifier { InstitutionId = "44444444", TransactionIdentifier = "PREF1" }],
            Voucher = new Voucher { Code = "4444123456789012", SerialNumber = "S1" },
            Amounts = new Amounts { ApprovedAmount = new LedgerAmount { Amount = 10_000, Currency = "710" } },
        };
        return RedemptionWire.Classify(Answered(201, SuvJson.Serialize(response)), Given.Command());
    }

    private static UpstreamResult.Answered Answered(int status, string body) => new UpstreamResult.Answered(status, Encoding.UTF8.GetBytes(body));

    private static string ErrorJson(string errorType) => SuvJson.Serialize(ErrorDetail.Of(errorType, "declined", "x"));

    private static ErrorDetail Error(OriginatorAnswer answer) => SuvJson.Deserialize<ErrorDetail>(answer.Json);
}

using System.Text.Json.Nodes;
using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using static EventLedger.Tests.Redemptions.Given;
using static EventLedger.Tests.Redemptions.ProviderAnswers;

namespace EventLedger.Tests.Redemptions;

/// <summary>The redemption on the wire: what each kind of provider answer comes to, and the request as the provider gets it.</summary>
public sealed class RedemptionWireTests
{
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
}

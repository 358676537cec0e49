using System.Text;
using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;

namespace EventLedger.Tests.StoreAndForward;

/// <summary>What an attempt to deliver an advice means (docs/store-and-forward.md, "What counts as an answer"), cell by cell.</summary>
public sealed class DeliveryVerdictTests
{
    private static UpstreamResult.Answered Answer(int status, string body = "{}") => new(status, Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData(AdviceKind.Confirmation, 200)]
    [InlineData(AdviceKind.Confirmation, 202)]
    [InlineData(AdviceKind.Reversal, 202)]
    [InlineData(AdviceKind.Reversal, 404)]
    public void A_2xx_or_a_settled_404_to_a_reversal_is_acknowledged(AdviceKind kind, int status) =>
        DeliveryVerdict.Of(kind, Answer(status)).Should().Be(new DeliveryVerdict.Acknowledged(status));

    [Fact]
    public void A_404_to_a_reversal_whose_request_may_still_be_on_its_way_is_tried_again()
    {
        var verdict = DeliveryVerdict.Of(AdviceKind.Reversal, Answer(404), notFoundIsFinal: false);

        verdict.Should().BeOfType<DeliveryVerdict.Retry>().Which.ProviderStatus.Should().Be(404);
    }

    [Theory]
    [InlineData(AdviceKind.Confirmation, 400)]
    [InlineData(AdviceKind.Confirmation, 404)]
    [InlineData(AdviceKind.Reversal, 400)]
    [InlineData(AdviceKind.Confirmation, 409)]
    public void A_final_no_is_a_refusal_with_the_providers_error(AdviceKind kind, int status)
    {
        var verdict = DeliveryVerdict.Of(kind, Answer(status, """{"id":"x","errorType":"REDEMPTION_ALREADY_REVERSED","errorMessage":"no"}"""));

        verdict.Should().Be(new DeliveryVerdict.Refused(status, "REDEMPTION_ALREADY_REVERSED", "no"));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(302)]
    public void Credentials_later_and_faults_are_retried(int status) =>
        DeliveryVerdict.Of(AdviceKind.Confirmation, Answer(status)).Should().BeOfType<DeliveryVerdict.Retry>().Which.ProviderStatus.Should().Be(status);

    [Fact]
    public void No_connection_or_no_answer_is_retried_with_the_reason()
    {
        DeliveryVerdict.Of(AdviceKind.Reversal, new UpstreamResult.NotSent("refused")).Should().Be(new DeliveryVerdict.Retry(null, "provider unreachable: refused"));
        DeliveryVerdict.Of(AdviceKind.Reversal, new UpstreamResult.NoAnswer("timeout")).Should().Be(new DeliveryVerdict.Retry(null, "no answer: timeout"));
    }

    [Fact]
    public void A_404_to_a_reversal_is_final_after_twice_the_providers_timeout_since_it_was_queued()
    {
        var provider = new ProviderOptions { TimeoutMs = 1_000 };
        var queued = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        var delivery = new ProviderDelivery { QueuedAt = queued };

        AdviceForwarder.NotFoundIsFinal(delivery, provider, queued.AddMilliseconds(1_999)).Should().BeFalse();
        AdviceForwarder.NotFoundIsFinal(delivery, provider, queued.AddMilliseconds(2_000)).Should().BeTrue();
    }
}

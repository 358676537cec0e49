using EventLedger.Operations;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;

namespace EventLedger.Tests.Operations;

/// <summary>The operators' retry and resend, cell by cell: which delivery each may act on, and what it records.</summary>
public sealed class AdviceActionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static ProviderDelivery Delivery(DeliveryStatus status, DateTimeOffset? claimedUntil = null) => new()
    {
        Id = "redemption-22222222-r1:a1", StreamKey = "redemption-22222222-r1", AdviceId = "a1", ProviderId = "44444444",
        Status = status, Generation = 3, Attempts = 7, ClaimedUntil = claimedUntil, ClaimToken = claimedUntil is null ? null : "token",
        NextAttemptAt = Now.AddMinutes(5), FinishedAt = status == DeliveryStatus.Pending ? null : Now.AddMinutes(-1),
    };

    [Theory]
    [InlineData(AdviceActionKind.Retry, DeliveryStatus.Acknowledged)]
    [InlineData(AdviceActionKind.Retry, DeliveryStatus.Refused)]
    [InlineData(AdviceActionKind.Retry, DeliveryStatus.Held)]
    [InlineData(AdviceActionKind.Resend, DeliveryStatus.Pending)]
    [InlineData(AdviceActionKind.Resend, DeliveryStatus.Acknowledged)]
    [InlineData(AdviceActionKind.Resend, DeliveryStatus.Held)]
    public void An_action_on_a_delivery_in_another_status_is_a_conflict(AdviceActionKind kind, DeliveryStatus status) =>
        AdviceAction.Decide(Delivery(status), kind, "ops", Now).Should().BeOfType<AdviceActionDecision.Conflict>()
            .Which.Reason.Should().Be($"the advice is not {AdviceAction.Requires(kind).ToString().ToLowerInvariant()}");

    [Fact]
    public void An_action_on_a_delivery_that_no_longer_exists_is_a_conflict() =>
        AdviceAction.Decide(null, AdviceActionKind.Retry, "ops", Now).Should().BeOfType<AdviceActionDecision.Conflict>();

    [Fact]
    public void An_action_while_an_attempt_holds_the_delivery_waits_for_it() =>
        AdviceAction.Decide(Delivery(DeliveryStatus.Pending, claimedUntil: Now.AddSeconds(5)), AdviceActionKind.Retry, "ops", Now)
            .Should().BeOfType<AdviceActionDecision.Conflict>().Which.Reason.Should().Contain("attempt is being made");

    [Theory]
    [InlineData(AdviceActionKind.Retry, DeliveryStatus.Pending)]
    [InlineData(AdviceActionKind.Resend, DeliveryStatus.Refused)]
    public void An_action_records_who_took_it_and_queues_a_new_generation_leaving_the_delivery_it_read_unchanged(AdviceActionKind kind, DeliveryStatus status)
    {
        var delivery = Delivery(status, claimedUntil: Now.AddSeconds(-1));
        var before = Delivery(status, claimedUntil: Now.AddSeconds(-1));

        var decision = AdviceAction.Decide(delivery, kind, "ops", Now);

        var requeue = decision.Should().BeOfType<AdviceActionDecision.Requeue>().Subject;
        requeue.Event.Should().Be(kind == AdviceActionKind.Retry
            ? new AdviceRetryRequested("a1", "ops", Now)
            : new AdviceResendRequested("a1", "ops", Now));
        requeue.Generation.Should().Be(4);
        delivery.Should().BeEquivalentTo(before, "a decision reads the delivery; applying it is the caller's");
    }

    [Fact]
    public void Applying_a_requeue_makes_the_delivery_pending_and_due_now_with_no_claim()
    {
        var delivery = Delivery(DeliveryStatus.Refused, claimedUntil: Now.AddSeconds(-1));

        AdviceAction.Apply(delivery, new AdviceActionDecision.Requeue(new AdviceResendRequested("a1", "ops", Now), 4), Now);

        delivery.Should().BeEquivalentTo(new
        {
            Status = DeliveryStatus.Pending, Generation = 4, Attempts = 7, NextAttemptAt = (DateTimeOffset?)Now,
            ClaimedUntil = (DateTimeOffset?)null, ClaimToken = (string?)null, FinishedAt = (DateTimeOffset?)null,
        });
    }
}

using EventLedger.Redemptions;
using static EventLedger.Tests.Redemptions.Given;

namespace EventLedger.Tests.Redemptions;

/// <summary>Which decided events become deliveries to the provider (<see cref="OutgoingAdvices.Due"/>), cell by cell.</summary>
public sealed class OutgoingAdvicesTests
{
    private const string Json = """{"id":"advice"}""";

    [Theory]
    [InlineData(AdviceDelivery.Forward, 1)]
    [InlineData(AdviceDelivery.ConsumedBySwitch, 0)]
    [InlineData(AdviceDelivery.NotNeeded, 0)]
    [InlineData(AdviceDelivery.AwaitingOutcome, 0)]
    public void A_confirmation_is_delivered_only_when_marked_forward(AdviceDelivery delivery, int expected)
    {
        var due = OutgoingAdvices.Due(State(Requested(), Approved()), [new RedemptionConfirmed("c1", Json, delivery, Now)]).ToList();

        due.Should().Equal(Enumerable.Repeat((AdviceKind.Confirmation, "c1", Json), expected));
    }

    [Theory]
    [InlineData(AdviceDelivery.Forward, 1)]
    [InlineData(AdviceDelivery.ConsumedBySwitch, 0)]
    [InlineData(AdviceDelivery.AwaitingOutcome, 0)]
    public void A_reversal_is_delivered_only_when_marked_forward(AdviceDelivery delivery, int expected)
    {
        var due = OutgoingAdvices.Due(State(Requested(), Approved()),
            [new RedemptionReversed("r1", ReversalOrigin.Originator, "CANCELLED", Json, delivery, Now)]).ToList();

        due.Should().Equal(Enumerable.Repeat((AdviceKind.Reversal, "r1", Json), expected));
    }

    [Fact]
    public void A_reversal_that_waited_for_the_outcome_is_delivered_with_the_advice_it_came_with()
    {
        var before = State(Requested(), new RedemptionReversed("r1", ReversalOrigin.Originator, "CANCELLED", Json, AdviceDelivery.AwaitingOutcome, Now));

        var due = OutgoingAdvices.Due(before, [Approved(), new PendingReversalSettled("r1", AdviceDelivery.Forward, Now)]).ToList();
        var notNeeded = OutgoingAdvices.Due(before, [new RedemptionDeclined(400, "X", "{}", Now), new PendingReversalSettled("r1", AdviceDelivery.NotNeeded, Now)]);

        due.Should().Equal((AdviceKind.Reversal, "r1", Json));
        notNeeded.Should().BeEmpty("nothing was redeemed, so there is nothing to reverse");
    }

    [Fact]
    public void Events_that_are_not_advices_deliver_nothing() =>
        OutgoingAdvices.Due(State(Requested()), [Approved(), new ProviderAdviceAcked(AdviceKind.Confirmation, "c1", false, 202, Now)])
            .Should().BeEmpty();
}

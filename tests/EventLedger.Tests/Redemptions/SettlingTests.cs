using EventLedger.Redemptions;
using static EventLedger.Redemptions.LookupRedemption;

namespace EventLedger.Tests.Redemptions;

/// <summary>The settling rule, cell by cell: final outcome, projection caught up, processing period passed.</summary>
public sealed class SettlingTests
{
    private static readonly LookupOptions Options = new() { ProcessingPeriodMs = 10_000 };
    private static readonly DateTimeOffset Final = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_approved_caught_up_redemption_settles_once_the_period_has_passed()
    {
        var view = View(RedemptionOutcome.Approved, version: 2);

        Settle(view, 2, Options, Final.AddSeconds(9.9)).Should().Be(Settling.StillProcessing);
        Settle(view, 2, Options, Final.AddSeconds(10)).Should().Be(Settling.Settled);
    }

    [Fact]
    public void A_projection_that_lags_the_stream_is_never_served_however_old()
    {
        Settle(View(RedemptionOutcome.Approved, version: 2), 3, Options, Final.AddDays(1)).Should().Be(Settling.StillProcessing);
    }

    [Fact]
    public void A_redemption_not_yet_projected_is_still_processing()
    {
        Settle(null, 1, Options, Final.AddDays(1)).Should().Be(Settling.StillProcessing);
    }

    [Fact]
    public void A_redemption_awaiting_the_provider_is_still_processing()
    {
        var view = View(RedemptionOutcome.AwaitingProvider, version: 1);
        view.FinalAt = null;

        Settle(view, 1, Options, Final.AddDays(1)).Should().Be(Settling.StillProcessing);
    }

    [Fact]
    public void An_unknown_outcome_settles_only_once_the_switchs_reversal_is_acknowledged()
    {
        var view = View(RedemptionOutcome.Unknown, version: 3);
        view.UnacknowledgedSwitchReversal = "r1";

        view.OutcomeFinal.Should().BeFalse();
        view.UnacknowledgedSwitchReversal = null;
        view.OutcomeFinal.Should().BeTrue();
        Settle(view, 3, Options, Final.AddSeconds(11)).Should().Be(Settling.Settled);
    }

    [Theory]
    [InlineData(RedemptionOutcome.Declined)]
    [InlineData(RedemptionOutcome.NotSent)]
    public void Declined_and_unsent_redemptions_are_final(RedemptionOutcome outcome)
    {
        Settle(View(outcome, version: 2), 2, Options, Final.AddSeconds(10)).Should().Be(Settling.Settled);
    }

    [Fact]
    public void A_stream_with_only_a_reversal_was_never_requested()
    {
        Settle(View(RedemptionOutcome.NoRequest, version: 1), 1, Options, Final).Should().Be(Settling.NeverRequested);
    }

    private static RedemptionView View(RedemptionOutcome outcome, long version) => new()
    {
        Id = "redemption-1-x",
        Outcome = outcome,
        LastVersion = version,
        FinalAt = Final,
        AnswerStatus = 201,
        AnswerJson = "{}",
    };
}

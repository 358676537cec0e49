using EventLedger.Finance;
using EventLedger.Redemptions;

namespace EventLedger.Tests.Finance;

/// <summary>The settlement match, result by result: every line and every standing redemption lands in exactly one row.</summary>
public sealed class SettlementMatchTests
{
    private static RedemptionView View(string upstream, TransactionStatus status, long amount = 5_000, string currency = "710", string? reference = "REF1") => new()
    {
        Id = "redemption-22222222-" + upstream, ClientId = "22222222", RequestId = "orig-" + upstream, UpstreamRequestId = upstream,
        ProviderId = "44444444", Status = status, ApprovedAmountMinor = amount, Currency = currency, ProviderReference = reference,
    };

    private static SettlementLine Line(string requestId, string status = SettlementMatch.Redeemed, long amount = 5_000, string currency = "710", string? reference = "REF1") =>
        new(requestId, reference, amount, currency, status);

    private static MatchResult Only(RedemptionView[] views, params SettlementLine[] lines) =>
        SettlementMatch.Match("44444444", "2026-11-26", views, lines).Rows.Should().ContainSingle().Subject.Result;

    [Theory]
    [InlineData(TransactionStatus.Approved, SettlementMatch.Redeemed)]
    [InlineData(TransactionStatus.Confirmed, SettlementMatch.Redeemed)]
    [InlineData(TransactionStatus.Reversed, SettlementMatch.Reversed)]
    public void Both_sides_agreeing_match(TransactionStatus status, string line) =>
        Only([View("a", status)], Line("a", line)).Should().Be(MatchResult.Matched);

    [Fact]
    public void Request_ids_compare_case_blind() =>
        Only([View("abc", TransactionStatus.Confirmed)], Line(" ABC ")).Should().Be(MatchResult.Matched);

    [Fact]
    public void A_line_the_switch_does_not_hold_is_missing_at_the_switch() =>
        Only([], Line("a")).Should().Be(MatchResult.MissingAtSwitch);

    [Theory]
    [InlineData(TransactionStatus.Approved)]
    [InlineData(TransactionStatus.Confirmed)]
    public void A_standing_redemption_the_file_leaves_out_is_missing_at_the_provider(TransactionStatus status) =>
        Only([View("a", status)]).Should().Be(MatchResult.MissingAtProvider);

    [Theory]
    [InlineData(TransactionStatus.Reversed)]
    [InlineData(TransactionStatus.Declined)]
    [InlineData(TransactionStatus.NotSent)]
    [InlineData(TransactionStatus.Unknown)]
    public void A_redemption_that_does_not_stand_needs_no_line(TransactionStatus status) =>
        SettlementMatch.Match("44444444", "2026-11-26", [View("a", status)], []).Rows.Should().BeEmpty();

    [Theory]
    [InlineData(6_000, "710")]
    [InlineData(5_000, "840")]
    public void Redeemed_on_both_sides_for_another_amount_or_currency_is_an_amount_mismatch(long amount, string currency) =>
        Only([View("a", TransactionStatus.Confirmed)], Line("a", amount: amount, currency: currency)).Should().Be(MatchResult.AmountMismatch);

    [Theory]
    [InlineData(TransactionStatus.Reversed, SettlementMatch.Redeemed)]
    [InlineData(TransactionStatus.Declined, SettlementMatch.Redeemed)]
    [InlineData(TransactionStatus.Confirmed, SettlementMatch.Reversed)]
    [InlineData(TransactionStatus.Unknown, SettlementMatch.Reversed)]
    [InlineData(TransactionStatus.Open, SettlementMatch.Reversed)]
    public void One_side_redeemed_and_the_other_not_is_a_state_mismatch(TransactionStatus status, string line) =>
        Only([View("a", status)], Line("a", line)).Should().Be(MatchResult.StateMismatch);

    [Fact]
    public void Agreeing_but_for_the_providers_reference_is_a_reference_mismatch() =>
        Only([View("a", TransactionStatus.Confirmed, reference: "REF1")], Line("a", reference: "REF2")).Should().Be(MatchResult.ReferenceMismatch);

    [Fact]
    public void A_line_without_a_reference_or_a_redemption_without_one_is_judged_on_the_rest()
    {
        Only([View("a", TransactionStatus.Confirmed, reference: "REF1")], Line("a", reference: null)).Should().Be(MatchResult.Matched);
        Only([View("a", TransactionStatus.Confirmed, reference: null)], Line("a", reference: "REF2")).Should().Be(MatchResult.Matched);
    }

    [Fact]
    public void A_second_line_for_a_request_is_a_duplicate_and_the_first_is_judged_as_usual()
    {
        var report = SettlementMatch.Match("44444444", "2026-11-26", [View("a", TransactionStatus.Confirmed)], [Line("a"), Line("A", amount: 1)]);

        report.Rows.Select(r => (r.Result, r.Line)).Should().Equal((MatchResult.Matched, 2), (MatchResult.Duplicate, 3));
        report.Matched.Should().Be(1);
        report.Breaks.Should().Be(1);
    }

    [Fact]
    public void An_id_naming_two_redemptions_is_ambiguous_on_the_line_and_on_each_that_stands()
    {
        // Only redemptions from before upstream ids (sent under their originators' ids) can share one.
        var legacy = new[] { View("a", TransactionStatus.Confirmed), View("a", TransactionStatus.Approved) };
        legacy[1].ClientId = "33333333";

        var report = SettlementMatch.Match("44444444", "2026-11-26", legacy, [Line("a")]);

        report.Rows.Select(r => (r.Result, r.ClientId)).Should().Equal(
            (MatchResult.Ambiguous, (string?)null), (MatchResult.Ambiguous, "22222222"), (MatchResult.Ambiguous, "33333333"));
    }
}

using EventLedger.Finance;
using EventLedger.Redemptions;

namespace EventLedger.Tests.Finance;

/// <summary>A day's totals, column by column: counts and amounts per status, grouped per provider, merchant and currency.</summary>
public sealed class DayTotalsTests
{
    private static RedemptionView View(TransactionStatus status, long? approved = 1_000, long? requested = 1_000, string merchant = "M1", string currency = "710") => new()
    {
        ProviderId = "44444444", MerchantId = merchant, Currency = currency, Status = status,
        ApprovedAmountMinor = approved, RequestAmountMinor = requested,
    };

    private static DayTotal Single(params RedemptionView[] views)
    {
        var totals = new DayTotals();
        foreach (var view in views)
        {
            totals.Add(view);
        }

        return totals.Result().Should().ContainSingle().Subject;
    }

    [Fact]
    public void Each_status_counts_in_its_own_column_and_the_net_is_approved_plus_confirmed()
    {
        var total = Single(
            View(TransactionStatus.Approved, 100), View(TransactionStatus.Confirmed, 200), View(TransactionStatus.Confirmed, 300),
            View(TransactionStatus.Reversed, 400), View(TransactionStatus.Declined, null, 500), View(TransactionStatus.Unknown, null, 600),
            View(TransactionStatus.Open, null, 700), View(TransactionStatus.NotSent, null, 800));

        total.Should().BeEquivalentTo(new DayTotal("44444444", "M1", "710",
            1, 100, 2, 500, 1, 400, 1, 500, 1, 600, 1, 700, 1, 600));
    }

    [Fact]
    public void An_approved_amount_counts_where_the_provider_gave_one_else_the_requested_amount() =>
        Single(View(TransactionStatus.Confirmed, approved: 250, requested: 1_000), View(TransactionStatus.Confirmed, approved: null, requested: 1_000))
            .ConfirmedAmount.Should().Be((Int128)1_250);

    [Fact]
    public void A_reversal_that_came_before_its_request_is_no_redemption_of_the_day()
    {
        var totals = new DayTotals();
        totals.Add(View(TransactionStatus.ReversedBeforeRequest));

        totals.Result().Should().BeEmpty();
    }

    [Fact]
    public void Rows_are_per_provider_merchant_and_currency_in_order()
    {
        var totals = new DayTotals();
        totals.Add(View(TransactionStatus.Confirmed, merchant: "M2"));
        totals.Add(View(TransactionStatus.Confirmed, merchant: "M1", currency: "840"));
        totals.Add(View(TransactionStatus.Confirmed, merchant: "M1"));

        totals.Result().Select(t => (t.Merchant, t.Currency)).Should().Equal(("M1", "710"), ("M1", "840"), ("M2", "710"));
    }

    [Fact]
    public void Amounts_at_the_int64_limit_add_up_exactly()
    {
        var total = Single(View(TransactionStatus.Confirmed, long.MaxValue), View(TransactionStatus.Confirmed, long.MaxValue));

        total.ConfirmedAmount.Should().Be((Int128)long.MaxValue * 2);
        total.NetAmount.Should().Be((Int128)long.MaxValue * 2);
    }
}

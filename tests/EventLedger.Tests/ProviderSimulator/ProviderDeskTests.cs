using EventLedger.ProviderSimulator;

namespace EventLedger.Tests.ProviderSimulator;

/// <summary>The simulated provider's back office: vouchers issued ready to redeem, and its settlement file.</summary>
public sealed class ProviderDeskTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_voucher_the_desk_issues_is_redeemable_at_once_for_its_value()
    {
        var book = new VoucherBook(new SimulatorOptions { VoucherCodePrefix = "4444" });

        var voucher = book.IssueRedeemable(2_500, "710", Now);
        var (verdict, redemption) = book.Redeem("r-1", voucher.Code);

        voucher.Code.Should().StartWith("4444");
        verdict.Should().Be(RedemptionVerdict.Accepted);
        redemption!.Voucher.ValueMinor.Should().Be(2_500);
    }

    [Fact]
    public void The_desk_stops_issuing_when_the_book_is_full()
    {
        var book = new VoucherBook(new SimulatorOptions { MaxVouchers = 1 });
        book.IssueRedeemable(100, "710", Now);

        var issue = () => book.IssueRedeemable(100, "710", Now);

        issue.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void The_settlement_file_lists_redeemed_and_confirmed_ones_as_redeemed_and_reversed_ones_as_reversed_in_the_switchs_format()
    {
        var book = new VoucherBook(new SimulatorOptions());
        var redeemed = book.Redeem("b-redeemed", book.IssueRedeemable(1_000, "710", Now).Code).Redemption!;
        var confirmed = book.Redeem("a-confirmed", book.IssueRedeemable(2_000, "710", Now).Code).Redemption!;
        var reversed = book.Redeem("c-reversed", book.IssueRedeemable(3_000, "840", Now).Code).Redemption!;
        book.ConfirmRedemption("a-confirmed");
        book.ReverseRedemption("c-reversed");

        var file = ProviderDesk.SettlementFile(book.Redemptions());

        file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "requestId,providerReference,amountMinor,currency,status",
            $"a-confirmed,{confirmed.Reference},2000,710,REDEEMED",
            $"b-redeemed,{redeemed.Reference},1000,710,REDEEMED",
            $"c-reversed,{reversed.Reference},3000,840,REVERSED");
    }
}

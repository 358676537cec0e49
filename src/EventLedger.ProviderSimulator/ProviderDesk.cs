using System.Globalization;
using System.Text;

namespace EventLedger.ProviderSimulator;

/// <summary>
/// What a provider's back office does outside the SUV interface, on the control API: issue a
/// voucher that is ready to redeem (a sale made and confirmed elsewhere), and write the settlement
/// file the provider sends its switch. Demo mode and the quick start use both.
/// </summary>
public static class ProviderDesk
{
    /// <summary>The largest voucher the desk issues: R1 000 000.00 in minor units.</summary>
    public const long MaxValueMinor = 100_000_000;

    public const string DefaultCurrency = "710";

    public sealed record IssuedVoucher(string VoucherCode, string SerialNumber, long Amount, string Currency, DateTimeOffset ExpiresAt);

    public static void Map(RouteGroupBuilder control)
    {
        control.MapPost("/vouchers", (long? amount, string? currency, VoucherBook book, TimeProvider time) =>
        {
            var value = amount ?? 5_000;
            currency ??= DefaultCurrency;
            if (value is < 1 or > MaxValueMinor || currency.Length != 3 || !currency.All(char.IsAsciiDigit))
            {
                return Results.BadRequest(new { error = $"amount must be 1..{MaxValueMinor} (minor units), currency three digits (ISO 4217, e.g. 710)" });
            }

            try
            {
                var voucher = book.IssueRedeemable(value, currency, time.GetUtcNow());
                return Results.Created(
                    "/control/vouchers", new IssuedVoucher(voucher.Code, voucher.SerialNumber, voucher.ValueMinor, voucher.Currency, voucher.ExpiresAt));
            }
            catch (InvalidOperationException ex)
            {
                return Results.Conflict(new { error = ex.Message });
            }
        });
        control.MapGet("/settlement", (VoucherBook book) => Results.Text(SettlementFile(book.Redemptions()), "text/csv", Encoding.UTF8));
    }

    /// <summary>
    /// Every redemption the simulator holds, in the switch's settlement format: redeemed (and
    /// confirmed) ones at the voucher's value, reversed ones as reversed.
    /// </summary>
    public static string SettlementFile(IEnumerable<SimulatedRedemption> redemptions)
    {
        var file = new StringBuilder("requestId,providerReference,amountMinor,currency,status\n");
        foreach (var r in redemptions.OrderBy(r => r.RequestId, StringComparer.Ordinal))
        {
            var status = r.State == SimulatedRedemptionState.Reversed ? "REVERSED" : "REDEEMED";
            file.Append(CultureInfo.InvariantCulture, $"{r.RequestId},{r.Reference},{r.Voucher.ValueMinor},{r.Voucher.Currency},{status}\n");
        }

        return file.ToString();
    }
}

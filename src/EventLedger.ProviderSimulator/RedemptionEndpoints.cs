using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLedger.ProviderSimulator;

/// <summary>Redemption and its advices, with Electrum's voucher states and error types.</summary>
public static class RedemptionEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/suv/v1/redemptions", Redeem);
        app.MapPost("/suv/v1/redemptions/confirmations", Confirm);
        app.MapPost("/suv/v1/redemptions/reversals", Reverse);
    }

    private static Task<IResult> Redeem(HttpContext context, VoucherBook book, SimulatorOptions options, SimulatorControl control) =>
        SimulatorApp.HandleTransactionAsync<RedemptionRequest>(context, SuvValidator.Validate, request => control.RunAsync(context, Operation.Redeem, request.Id!, null, () =>
        {
            var (verdict, redemption) = book.Redeem(request.Id!, request.Voucher!.Code!);
            if (verdict != RedemptionVerdict.Accepted)
            {
                return Refusal(verdict, request.Id!, null);
            }

            var voucher = redemption!.Voucher;
            return SuvHttp.Json(201, new RedemptionResponse
            {
                Id = request.Id,
                Time = request.Time,
                Originator = request.Originator,
                Client = request.Client,
                SettlementEntity = request.SettlementEntity,
                Receiver = new Institution { Id = options.InstitutionId, Name = options.Name },
                ThirdPartyIdentifiers = VoucherEndpoints.WithOwnIdentifier(request.ThirdPartyIdentifiers, options, redemption.Reference),
                Voucher = request.Voucher with { SerialNumber = voucher.SerialNumber, Pin = null },
                Amounts = new Amounts
                {
                    RequestAmount = request.Amounts?.RequestAmount,
                    ApprovedAmount = new LedgerAmount { Amount = voucher.ValueMinor, Currency = voucher.Currency },
                },
                PosInfo = request.PosInfo,
            });
        }, request.ThirdPartyIdentifiers));

    private static Task<IResult> Confirm(HttpContext context, VoucherBook book, SimulatorControl control) =>
        SuvHttp.HandleAsync<BasicAdvice>(context.Request, SuvValidator.Validate, advice =>
            control.RunAsync(context, Operation.ConfirmRedemption, advice.Id!, advice.RequestId, () =>
                Answer(book.ConfirmRedemption(advice.RequestId!), advice), advice.ThirdPartyIdentifiers));

    private static Task<IResult> Reverse(HttpContext context, VoucherBook book, SimulatorControl control) =>
        SuvHttp.HandleAsync<BasicReversal>(context.Request, SuvValidator.Validate, reversal =>
            control.RunAsync(context, Operation.ReverseRedemption, reversal.Id!, reversal.RequestId, () =>
                Answer(book.ReverseRedemption(reversal.RequestId!), reversal), reversal.ThirdPartyIdentifiers));

    private static IResult Answer(RedemptionVerdict verdict, BasicAdvice advice) =>
        verdict == RedemptionVerdict.Accepted ? SuvHttp.Json(202, advice) : Refusal(verdict, advice.Id!, advice.RequestId);

    private static IResult Refusal(RedemptionVerdict verdict, string id, string? originalId) => verdict switch
    {
        RedemptionVerdict.Duplicate => Error(400, ErrorTypes.DuplicateRecord, "Duplicate request id", id, originalId),
        RedemptionVerdict.UnknownVoucher => Error(404, ErrorTypes.UnableToLocateRecord, "Unknown voucher", id, originalId),
        RedemptionVerdict.UnknownRedemption => Error(404, ErrorTypes.UnableToLocateRecord, "Unknown redemption", id, originalId),
        RedemptionVerdict.NotRedeemable => Error(400, ErrorTypes.VoucherNotRedeemable, "Voucher not redeemable", id, originalId),
        RedemptionVerdict.AlreadyRedeemed => Error(400, ErrorTypes.VoucherAlreadyRedeemed, "Voucher already redeemed", id, originalId),
        RedemptionVerdict.AlreadyConfirmed => Error(400, ErrorTypes.RedemptionAlreadyConfirmed, "Redemption already confirmed", id, originalId),
        RedemptionVerdict.AlreadyReversed => Error(400, ErrorTypes.RedemptionAlreadyReversed, "Redemption already reversed", id, originalId),
        _ => throw new InvalidOperationException($"no refusal for {verdict}"),
    };

    private static IResult Error(int status, string type, string message, string id, string? originalId) =>
        SuvHttp.Error(status, ErrorDetail.Of(type, message, id, originalId));
}

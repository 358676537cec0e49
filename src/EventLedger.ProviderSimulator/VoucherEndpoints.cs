using System.Globalization;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace EventLedger.ProviderSimulator;

/// <summary>Voucher provisioning, its advices, and lookup: how vouchers come to exist for redemption.</summary>
public static class VoucherEndpoints
{
    private const long DefaultValueMinor = 10_000;
    private const string DefaultCurrency = "710";

    public static void Map(WebApplication app)
    {
        app.MapPost("/suv/v1/vouchers", Provision);
        app.MapPost("/suv/v1/vouchers/confirmations", ConfirmProvision);
        app.MapPost("/suv/v1/vouchers/reversals", ReverseProvision);
        app.MapGet("/suv/v1/vouchers", Lookup);
    }

    private static Task<IResult> Provision(HttpContext context, VoucherBook book, SimulatorOptions options, TimeProvider time) =>
        SimulatorApp.HandleTransactionAsync<ProvisionRequest>(context, SuvValidator.Validate, request =>
            Task.FromResult(Issue(request, book, options, time)));

    private static IResult Issue(ProvisionRequest request, VoucherBook book, SimulatorOptions options, TimeProvider time)
    {
        var value = request.Amounts?.RequestAmount;
        var voucher = book.Issue(request.Id!, value?.Amount ?? DefaultValueMinor, value?.Currency ?? DefaultCurrency, request.Product, time.GetUtcNow());
        if (voucher is null)
        {
            return SuvHttp.Error(400, ErrorDetail.Of(ErrorTypes.DuplicateRecord, "A voucher was already provisioned for this request", request.Id));
        }

        var response = new ProvisionResponse
        {
            Id = request.Id,
            Time = request.Time,
            Originator = request.Originator,
            Client = request.Client,
            SettlementEntity = request.SettlementEntity,
            Receiver = new Institution { Id = options.InstitutionId, Name = options.Name },
            ThirdPartyIdentifiers = WithOwnIdentifier(request.ThirdPartyIdentifiers, options, voucher.SerialNumber),
            Amounts = new Amounts { ApprovedAmount = Value(voucher) },
            Voucher = new Voucher
            {
                Code = voucher.Code,
                SerialNumber = voucher.SerialNumber,
                ExpiryDate = voucher.ExpiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            },
            Product = request.Product,
        };
        return SuvHttp.Json(201, response);
    }

    private static Task<IResult> ConfirmProvision(HttpContext context, VoucherBook book) =>
        SuvHttp.HandleAsync<TenderAdvice>(context.Request, SuvValidator.Validate, advice =>
            Task.FromResult(Advise(book, advice, advice.RequestId!, confirm: true) ?? SuvHttp.Json(202, advice)));

    private static Task<IResult> ReverseProvision(HttpContext context, VoucherBook book) =>
        SuvHttp.HandleAsync<BasicReversal>(context.Request, SuvValidator.Validate, advice =>
            Task.FromResult(Advise(book, advice, advice.RequestId!, confirm: false) ?? SuvHttp.Json(202, advice)));

    /// <summary>Applies a provision advice; null when it is accepted (repeats included), else the error to answer.</summary>
    private static IResult? Advise(VoucherBook book, BasicAdvice advice, string provisionRequestId, bool confirm)
    {
        var voucher = book.ByProvisionId(provisionRequestId);
        if (voucher is null)
        {
            return SuvHttp.Error(404, ErrorDetail.Of(ErrorTypes.UnableToLocateRecord, "No voucher was provisioned for this request", advice.Id, provisionRequestId));
        }

        lock (book.Gate)
        {
            switch (voucher.State, confirm)
            {
                case (VoucherState.ProvisionReversed, true):
                    return SuvHttp.Error(400, ErrorDetail.Of(ErrorTypes.VoucherAlreadyReversed, "Voucher reversed", advice.Id, provisionRequestId));
                case (VoucherState.Confirmed, false):
                    return SuvHttp.Error(400, ErrorDetail.Of(ErrorTypes.VoucherAlreadyConfirmed, "Voucher confirmed", advice.Id, provisionRequestId));
                default:
                    voucher.State = confirm ? VoucherState.Confirmed : VoucherState.ProvisionReversed;
                    return null;
            }
        }
    }

    private static Task<IResult> Lookup(HttpContext context, VoucherBook book, SimulatorOptions options, SimulatorControl control)
    {
        var query = context.Request.Query;
        var code = query["voucherCode"].ToString();
        var provisionId = query["provisionRequestId"].ToString();
        var serial = query["voucherSerialNumber"].ToString();
        // A lookup carries no message id: it gets one of its own, and is matched by behaviours by what it asks for.
        var asked = code.Length > 0 ? code : provisionId.Length > 0 ? provisionId : serial;
        return control.RunAsync(context, Operation.Lookup, Guid.NewGuid().ToString(), asked, () => Find(book, options, code, provisionId, serial));
    }

    private static IResult Find(VoucherBook book, SimulatorOptions options, string code, string provisionId, string serial)
    {
        var voucher = code.Length > 0 ? book.ByCode(code)
            : provisionId.Length > 0 ? book.ByProvisionId(provisionId)
            : serial.Length > 0 ? book.BySerialNumber(serial)
            : null;
        if (voucher is null)
        {
            return SuvHttp.Error(404, ErrorDetail.Of(ErrorTypes.UnableToLocateRecord, "Unknown voucher", Guid.NewGuid().ToString()));
        }

        return SuvHttp.Json(200, new VoucherLookupResponse
        {
            Receiver = new Institution { Id = options.InstitutionId, Name = options.Name },
            Amounts = new Amounts { ApprovedAmount = Value(voucher) },
            Voucher = new Voucher
            {
                SerialNumber = voucher.SerialNumber,
                ExpiryDate = voucher.ExpiresAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            },
            Product = voucher.Product,
        });
    }

    private static LedgerAmount Value(SimulatedVoucher voucher) =>
        new() { Amount = voucher.ValueMinor, Currency = voucher.Currency, LedgerIndicator = "CREDIT" };

    public static List<ThirdPartyIdentifier> WithOwnIdentifier(List<ThirdPartyIdentifier>? identifiers, SimulatorOptions options, string reference) =>
        [.. identifiers ?? [], new ThirdPartyIdentifier { InstitutionId = options.InstitutionId, TransactionIdentifier = reference }];
}

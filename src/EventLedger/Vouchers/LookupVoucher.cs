using EventLedger.Clients;
using EventLedger.Providers;
using EventLedger.Security;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using EventLedger.Suv;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Wolverine.Http;

namespace EventLedger.Vouchers;

/// <summary>
/// A voucher lookup as the ledger remembers it: who asked, which provider answered what, and the
/// code only masked and keyed-hashed. One stream per lookup; lookups move no money.
/// </summary>
public sealed record VoucherLookedUp(
    string LookupId,
    string ClientId,
    string? ProviderId,
    string? VoucherCodeMasked,
    string? VoucherCodeHash,
    string? VoucherSerialNumber,
    string? ProvisionRequestId,
    int Status,
    string? ErrorType,
    DateTimeOffset At);

/// <summary>The query of a lookupVoucher call.</summary>
public sealed record VoucherLookupQuery(
    string? VoucherCode, string? ProvisionRequestId, string? ReceiverInstId, string? SettlementEntityInstId, string? VoucherSerialNumber)
{
    public static VoucherLookupQuery From(IQueryCollection query) => new(
        Value(query, "voucherCode"), Value(query, "provisionRequestId"), Value(query, "receiverInstId"),
        Value(query, "settlementEntityInstId"), Value(query, "voucherSerialNumber"));

    public IReadOnlyList<FormatError> Validate()
    {
        var c = new Checks();
        if (VoucherCode is null && ProvisionRequestId is null && VoucherSerialNumber is null)
        {
            c.Fail("voucherCode", "or provisionRequestId or voucherSerialNumber is required", null);
        }

        c.Length("voucherCode", VoucherCode, 1, 40, secret: true);
        c.Length("voucherSerialNumber", VoucherSerialNumber, 1, 40);
        c.Length("receiverInstId", ReceiverInstId, 1, SuvValidator.MaxFreeTextLength);
        c.Length("settlementEntityInstId", SettlementEntityInstId, 1, SuvValidator.MaxFreeTextLength);
        c.Matches("provisionRequestId", ProvisionRequestId, Patterns.Uuid());
        foreach (var (name, value) in new[] { ("voucherCode", VoucherCode), ("receiverInstId", ReceiverInstId), ("settlementEntityInstId", SettlementEntityInstId), ("voucherSerialNumber", VoucherSerialNumber) })
        {
            if (SuvReader.HasControlCharacter(value))
            {
                c.Fail(name, $"{name} holds a control character", null);
            }
        }

        return c.Errors;
    }

    /// <summary>The query forwarded upstream: the same parameters, the switch's routing ones included.</summary>
    public string UpstreamPathAndQuery()
    {
        var parameters = new Dictionary<string, string?>
        {
            ["voucherCode"] = VoucherCode,
            ["provisionRequestId"] = ProvisionRequestId,
            ["receiverInstId"] = ReceiverInstId,
            ["settlementEntityInstId"] = SettlementEntityInstId,
            ["voucherSerialNumber"] = VoucherSerialNumber,
        };
        return QueryHelpers.AddQueryString("suv/v1/vouchers", parameters.Where(p => p.Value is not null));
    }

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
}

public static class LookupVoucherEndpoint
{
    /// <summary>lookupVoucher: forwarded synchronously to the issuing provider, recorded, answered as the provider answered.</summary>
    [WolverineGet("/suv/v1/vouchers", OperationId = "lookupVoucher")]
    [ProducesResponseType(typeof(VoucherLookupResponse), 200)]
    [ProducesResponseType(typeof(ErrorDetail), 400)]
    [ProducesResponseType(typeof(ErrorDetail), 404)]
    [ProducesResponseType(typeof(ErrorDetail), 503)]
    [ProducesResponseType(typeof(ErrorDetail), 504)]
    public static async Task<IResult> Get(
        HttpContext context, ProviderDirectory providers, ProviderGateway gateway, VoucherCodes codes,
        IDocumentSession session, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var lookupId = Guid.CreateVersion7(now).ToString();
        var query = VoucherLookupQuery.From(context.Request.Query);
        var errors = query.Validate();
        if (errors.Count > 0)
        {
            return SuvHttp.Error(400, SuvReader.FormatErrorDetail(lookupId, errors));
        }

        var provider = providers.Route(query.ReceiverInstId, query.VoucherCode);
        if (provider is null)
        {
            // Asked of no one and answered at once: nothing to remember, and nothing a client can pile up.
            return SuvHttp.Error(400, ErrorDetail.Of(ErrorTypes.RoutingError, "No provider for this voucher", lookupId));
        }

        var (status, answer) = Outcome(await gateway.SendAsync(provider, HttpMethod.Get, query.UpstreamPathAndQuery(), null), lookupId);

        var code = query.VoucherCode is null ? null : codes.Protect(query.VoucherCode);
        session.Events.StartStream($"lookup-{lookupId}", new VoucherLookedUp(
            lookupId, context.Originator().Id, provider.InstitutionId, code?.Masked, code?.Hash,
            query.VoucherSerialNumber, query.ProvisionRequestId, status,
            SecretScrubber.Identifier((answer as ErrorDetail)?.ErrorType, new Secrets(query.VoucherCode is { } c ? [c] : [], [])), now));
        // Recorded even if the originator hung up meanwhile: the provider was asked.
        await session.SaveChangesAsync(CancellationToken.None);
        return SuvHttp.Json(status, answer);
    }

    /// <summary>The provider's answer passed on, or the switch's own UPSTREAM_UNAVAILABLE.</summary>
    private static (int Status, object Body) Outcome(UpstreamResult result, string lookupId) => result switch
    {
        UpstreamResult.Answered { Status: >= 200 and < 300 } ok when Parse<VoucherLookupResponse>(ok.Body, SuvValidator.Validate) is { } found =>
            (ok.Status, found),
        UpstreamResult.Answered turnedAway when UpstreamResult.TurnedAway(turnedAway.Status) =>
            (503, Unavailable(lookupId, $"The provider turned the lookup away (HTTP {turnedAway.Status})")),
        UpstreamResult.Answered { Status: >= 400 } failed when Parse<ErrorDetail>(failed.Body, SuvValidator.Validate) is { } error =>
            // The error's id is the switch's own for this lookup: a provider's could be anything, even the code.
            (failed.Status, error with { Id = lookupId, ErrorMessage = ErrorDetail.Truncate(error.ErrorMessage!) }),
        UpstreamResult.NotSent => (503, Unavailable(lookupId, "Provider unreachable")),
        _ => (504, Unavailable(lookupId, "No valid answer from the provider")),
    };

    private static ErrorDetail Unavailable(string id, string message) => ErrorDetail.Of(ErrorTypes.UpstreamUnavailable, message, id);

    private static T? Parse<T>(byte[] body, Func<T, IReadOnlyList<FormatError>> validate) where T : class =>
        SuvReader.Read(body, validate).Message;
}

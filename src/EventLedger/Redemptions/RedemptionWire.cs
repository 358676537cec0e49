using EventLedger.Clients;
using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Security;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using EventLedger.Suv;

namespace EventLedger.Redemptions;

/// <summary>
/// A redemption request as the switch acts on it, after validation, authentication and routing:
/// what the contract requires is read once, here, into fields that cannot be missing; the message
/// itself is kept for what the switch passes on unchanged (the originator's and other parties' data).
/// </summary>
/// <param name="RequestId">The originator's id for the request.</param>
/// <param name="RequestTime">The request's time as the originator sent it.</param>
/// <param name="Code">The voucher's code, protected: masked and keyed-hashed.</param>
/// <param name="SwitchReference">The switch's own reference for this attempt to redeem.</param>
/// <param name="Switch">The switch as the provider's client.</param>
/// <param name="PinHash">The keyed hash of the PIN (clear, or its block); vouchers without a PIN have none.</param>
public sealed record RedeemCommand(
    RedemptionRequest Request, string RequestId, string RequestTime, string ClientId, ProviderOptions Provider, ProtectedCode Code,
    string SwitchReference, Institution Switch, string? PinHash = null)
{
    /// <summary>The command for a request <see cref="SuvValidator"/> passed and whose client is authenticated.</summary>
    public static RedeemCommand Of(RedemptionRequest request, ProviderOptions provider, VoucherCodes codes, Institution switchInstitution, DateTimeOffset now)
    {
        var requestId = request.Id ?? throw NotValidated("id");
        var clientId = request.Client?.Id ?? throw NotValidated("client.id");
        var code = request.Voucher?.Code ?? throw NotValidated("voucher.code");
        var pin = request.Voucher.Pin?.ClearPin ?? request.Voucher.Pin?.PinBlock;
        return new RedeemCommand(
            request, requestId, request.Time ?? throw NotValidated("time"), clientId, provider, codes.Protect(code),
            Guid.CreateVersion7(now).ToString("N").ToUpperInvariant(), switchInstitution,
            pin is { Length: > 0 } ? codes.HashPin(pin, Redemption.StreamKey(clientId, requestId)) : null);
    }

    public string StreamKey => Redemption.StreamKey(ClientId, RequestId);

    private static InvalidOperationException NotValidated(string field) => new($"a redemption request without {field} reached the decisions unvalidated");

    /// <summary>The voucher's code and PIN as this request holds them: kept out of everything stored, from either side.</summary>
    public Secrets Secrets { get; } = new(
        Request.Voucher?.Code is { } code ? [code] : [],
        new[] { Request.Voucher?.Pin?.ClearPin, Request.Voucher?.Pin?.PinBlock }.OfType<string>().ToList());
}

/// <summary>What became of the provider call, with the answer the originator gets and the outcome the ledger records.</summary>
public abstract record UpstreamOutcome(OriginatorAnswer Answer, RedemptionOutcome Recorded)
{
    /// <param name="ProviderIdentifiers">The thirdPartyIdentifiers of the provider's response, unaltered: every later advice carries them.</param>
    public sealed record Approved(
        OriginatorAnswer Answer, long? ApprovedAmountMinor, string? Currency, string? ProviderReference, List<ThirdPartyIdentifier> ProviderIdentifiers)
        : UpstreamOutcome(Answer, RedemptionOutcome.Approved);

    public sealed record Declined(OriginatorAnswer Answer, string ErrorType) : UpstreamOutcome(Answer, RedemptionOutcome.Declined);

    public sealed record NotSent(OriginatorAnswer Answer, string Reason) : UpstreamOutcome(Answer, RedemptionOutcome.NotSent);

    public sealed record Unknown(OriginatorAnswer Answer, string Reason) : UpstreamOutcome(Answer, RedemptionOutcome.Unknown);
}

/// <summary>
/// The redemption on the wire, both ways: the request as the provider gets it, what its answer (or
/// its silence) comes to, and that answer as the originator gets it. The decisions in
/// <see cref="Redeem"/> work on what these return.
/// </summary>
public static class RedemptionWire
{
    /// <summary>The answer for an unknown outcome, as the originator would have had it.</summary>
    public static UpstreamOutcome.Unknown UnknownOutcome(string requestId, string reason) => new(
        OriginatorAnswer.Error(504, ErrorDetail.Of(ErrorTypes.UpstreamUnavailable, "No final answer from the provider", requestId)), reason);

    /// <summary>Turns what came back from the provider into the outcome and the originator's answer.</summary>
    public static UpstreamOutcome Classify(UpstreamResult result, RedeemCommand command)
    {
        var request = command.Request;
        switch (result)
        {
            case UpstreamResult.Answered { Status: >= 200 and < 300 } ok
                when SuvReader.Read<RedemptionResponse>(ok.Body, SuvValidator.Validate).Message is { } response:
                var answer = ForOriginator(response, command);
                var approved = answer.Amounts?.ApprovedAmount ?? request.Amounts?.RequestAmount;
                List<ThirdPartyIdentifier> identifiers = [.. (response.ThirdPartyIdentifiers ?? []).Select(t => t with
                {
                    InstitutionId = SecretScrubber.Identifier(t.InstitutionId, command.Secrets),
                    TransactionIdentifier = SecretScrubber.Identifier(t.TransactionIdentifier, command.Secrets),
                })];
                var providerReference = identifiers.FirstOrDefault(t => t.InstitutionId == command.Provider.InstitutionId)?.TransactionIdentifier;
                return new UpstreamOutcome.Approved(
                    new OriginatorAnswer(201, SecretScrubber.Json(SuvJson.Serialize(answer), command.Secrets)),
                    approved?.Amount, approved?.Currency, providerReference, identifiers);

            case UpstreamResult.Answered turnedAway when UpstreamResult.TurnedAway(turnedAway.Status):
                // Nothing was redeemed, and the originator's request was not at fault: final, like
                // a request never sent, with the provider's status kept in the recorded answer.
                var reason = SuvReader.Read<ErrorDetail>(turnedAway.Body, SuvValidator.Validate).Message;
                var unavailable = ErrorDetail.Of(ErrorTypes.UpstreamUnavailable, "The provider turned the request away; nothing was redeemed", request.Id)
                    with
                    {
                        ProviderErrorCode = turnedAway.Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        ProviderErrorMessage = SecretScrubber.Text(reason?.ErrorMessage, command.Secrets),
                    };
                return new UpstreamOutcome.Declined(OriginatorAnswer.Error(503, unavailable), ErrorTypes.UpstreamUnavailable);

            case UpstreamResult.Answered { Status: >= 400 and < 500 } declined:
                var error = SuvReader.Read<ErrorDetail>(declined.Body, SuvValidator.Validate).Message is { } providerError
                    // In the originator's terms: its own id, and no upstream id in originalId.
                    ? providerError with { Id = request.Id, OriginalId = null, ErrorMessage = ErrorDetail.Truncate(providerError.ErrorMessage!) }
                    : ErrorDetail.Of(ErrorTypes.GeneralError, $"Provider declined with HTTP {declined.Status}", request.Id);
                return new UpstreamOutcome.Declined(
                    new OriginatorAnswer(declined.Status, SecretScrubber.Json(SuvJson.Serialize(error), command.Secrets)),
                    SecretScrubber.Identifier(error.ErrorType, command.Secrets)!);

            case UpstreamResult.NotSent notSent:
                return new UpstreamOutcome.NotSent(
                    OriginatorAnswer.Error(503, ErrorDetail.Of(ErrorTypes.UpstreamUnavailable, "Provider unreachable; nothing was redeemed", request.Id)),
                    notSent.Reason);

            default:
                return UnknownOutcome(command.RequestId, result switch
                {
                    UpstreamResult.NoAnswer n => n.Reason,
                    UpstreamResult.Answered a => $"provider answered HTTP {a.Status} without a valid final answer",
                    _ => "no answer",
                });
        }
    }

    /// <summary>
    /// The request as the provider gets it: under the switch's id for it (<see cref="UpstreamIds"/>),
    /// with the switch as the provider's client and the switch's own reference; every other party's
    /// data, identifiers included, passed on unchanged.
    /// </summary>
    public static RedemptionRequest Upstream(RedeemCommand command) => command.Request with
    {
        Id = UpstreamIds.Request(command.ClientId, command.RequestId),
        Client = command.Switch,
        ThirdPartyIdentifiers = WithSwitchReference(command.Request.ThirdPartyIdentifiers, command),
    };

    /// <summary>
    /// The provider's answer as the originator gets it: its own id, time and client back, the
    /// switch's reference present once, and no voucher code or PIN (the contract recommends the
    /// code appear only in requests; the originator has it).
    /// </summary>
    private static RedemptionResponse ForOriginator(RedemptionResponse response, RedeemCommand command) => response with
    {
        Id = command.Request.Id,
        Time = command.Request.Time,
        Client = command.Request.Client,
        ThirdPartyIdentifiers = WithSwitchReference(response.ThirdPartyIdentifiers, command),
        Voucher = response.Voucher is null ? null : response.Voucher with { Code = null, Pin = null },
    };

    /// <summary>
    /// The identifiers with the switch's own reference, once. An entry under the switch's institution
    /// id is the switch's to set: one an originator pre-filled (or a provider echoed altered) is
    /// replaced, so that no one else's value is ever settled against as the switch's.
    /// </summary>
    public static List<ThirdPartyIdentifier> WithSwitchReference(List<ThirdPartyIdentifier>? identifiers, RedeemCommand command) =>
    [
        .. (identifiers ?? []).Where(t => t.InstitutionId != command.Switch.Id),
        new ThirdPartyIdentifier { InstitutionId = command.Switch.Id, TransactionIdentifier = command.SwitchReference },
    ];

    /// <summary>The request as the ledger keeps it: the code masked, no PIN.</summary>
    public static RedemptionRequest Redacted(RedemptionRequest request, ProtectedCode code) => request with
    {
        Voucher = request.Voucher! with { Code = code.Masked, Pin = null },
    };
}

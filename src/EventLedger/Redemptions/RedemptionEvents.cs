using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

// The life of one redemption, one stream per (client, request id). Voucher codes appear only
// masked with their keyed hash; PINs never. JSON held in events is exactly what was sent or
// answered, with the code masked and any PIN removed, so that an answer can be replayed.

/// <summary>Who asked for a reversal.</summary>
public enum ReversalOrigin
{
    /// <summary>The originator sent a reversal.</summary>
    Originator,

    /// <summary>The switch reverses on its own because it never learnt the provider's outcome.</summary>
    Switch,
}

/// <summary>What the switch will do about an advice towards the provider.</summary>
public enum AdviceDelivery
{
    /// <summary>It must reach the provider: store-and-forward until the provider gives a final answer.</summary>
    Forward,

    /// <summary>The provider takes no advice of this kind: the switch consumes it.</summary>
    ConsumedBySwitch,

    /// <summary>Nothing happened at the provider (declined or never sent), so there is nothing to tell it.</summary>
    NotNeeded,

    /// <summary>Decided when the provider's outcome arrives (the reversal came while the request was in flight).</summary>
    AwaitingOutcome,
}

/// <summary>
/// The request was accepted and is about to be sent to the provider (appended before the call).
/// <c>VoucherPinHash</c>, the keyed hash of a clear PIN, is there only to recognise and mask the PIN
/// in what a provider says later (null without one).
/// </summary>
public sealed record RedemptionRequested(
    string ClientId,
    string RequestId,
    string RequestTime,
    string ProviderId,
    string SwitchReference,
    string? OriginatorInstitutionId,
    string? MerchantId,
    string? TerminalId,
    long? RequestAmountMinor,
    string? Currency,
    string VoucherCodeMasked,
    string VoucherCodeHash,
    string UpstreamRequestJson,
    DateTimeOffset At,
    string? VoucherPinHash = null);

/// <summary>
/// The provider approved: the voucher is redeemed. <c>ResponseJson</c> is the answer the originator
/// got; <c>ProviderIdentifiers</c> the thirdPartyIdentifiers of the provider's response, unaltered,
/// which every later advice carries (null on events from before they were kept).
/// </summary>
public sealed record VoucherRedeemed(
    int Status,
    string ResponseJson,
    long? ApprovedAmountMinor,
    string? Currency,
    string? ProviderReference,
    DateTimeOffset At,
    List<ThirdPartyIdentifier>? ProviderIdentifiers = null);

/// <summary>The provider declined with a final answer; the originator got the same status and error.</summary>
public sealed record RedemptionDeclined(int Status, string ErrorType, string ErrorJson, DateTimeOffset At);

/// <summary>The request certainly never reached the provider (no connection): nothing was redeemed.</summary>
public sealed record RedemptionNotSent(string Reason, string ErrorJson, DateTimeOffset At);

/// <summary>The request may have reached the provider but no final answer came: the outcome is unknown.</summary>
public sealed record RedemptionOutcomeUnknown(string Reason, string ErrorJson, DateTimeOffset At);

/// <summary>The originator confirmed the redemption. The first resolution wins; this one did.</summary>
public sealed record RedemptionConfirmed(string AdviceId, string AdviceJson, AdviceDelivery Delivery, DateTimeOffset At);

/// <summary>The redemption is reversed: by the originator, or by the switch after an unknown outcome.</summary>
public sealed record RedemptionReversed(
    string AdviceId, ReversalOrigin Origin, string ReversalReason, string AdviceJson, AdviceDelivery Delivery, DateTimeOffset At);

/// <summary>A reversal arrived for a request the switch has not seen; a late request with its id is refused.</summary>
public sealed record ReversalReceivedBeforeRequest(string ClientId, string RequestId, string AdviceId, string AdviceJson, DateTimeOffset At);

/// <summary>Once the outcome is known, a reversal that came in flight is forwarded, or not needed.</summary>
public sealed record PendingReversalSettled(string AdviceId, AdviceDelivery Delivery, DateTimeOffset At);

/// <summary>The switch refused an originator's advice; recorded once per advice id, for operators.</summary>
public sealed record AdviceRefused(AdviceKind Kind, string AdviceId, int Status, string ErrorType, DateTimeOffset At);

/// <summary>The provider acknowledged an advice, or the switch consumed it for a provider that takes none.</summary>
public sealed record ProviderAdviceAcked(AdviceKind Kind, string AdviceId, bool BySwitch, int? ProviderStatus, DateTimeOffset At);

/// <summary>The provider refused an advice with a final answer (400, or 404 on a confirmation): an operator must look.</summary>
public sealed record ProviderAdviceRefused(AdviceKind Kind, string AdviceId, int ProviderStatus, string? ErrorType, string? ErrorMessage, DateTimeOffset At);

/// <summary>An operator asked for a pending advice to be tried now instead of at its scheduled time.</summary>
public sealed record AdviceRetryRequested(string AdviceId, string OperatorId, DateTimeOffset At);

/// <summary>An operator re-sent an advice the provider had refused (after fixing the cause with the provider).</summary>
public sealed record AdviceResendRequested(string AdviceId, string OperatorId, DateTimeOffset At);

public enum AdviceKind
{
    Confirmation,
    Reversal,
}

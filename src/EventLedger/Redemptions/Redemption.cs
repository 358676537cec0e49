using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

/// <summary>What the provider's answer was, as far as the switch knows.</summary>
public enum RedemptionOutcome
{
    /// <summary>No request yet: only a reversal that came before it.</summary>
    NoRequest,

    /// <summary>Sent; the provider's answer is awaited.</summary>
    AwaitingProvider,

    Approved,
    Declined,

    /// <summary>Never reached the provider.</summary>
    NotSent,

    /// <summary>May have reached the provider; no final answer.</summary>
    Unknown,
}

/// <summary>A redemption is resolved at most once: confirmed or reversed, whichever committed first.</summary>
public enum RedemptionResolution
{
    Open,
    Confirmed,
    Reversed,
}

/// <summary>The state of one redemption stream, folded from its events. Immutable: decisions read it.</summary>
public sealed record Redemption
{
    public required string ClientId { get; init; }
    public required string RequestId { get; init; }
    public string? ProviderId { get; init; }

    /// <summary>The switch's reference for the request (unique per attempt to redeem): how a write in doubt knows its own.</summary>
    public string? SwitchReference { get; init; }

    /// <summary>The id the provider knows the request by (<see cref="UpstreamIds"/>); the originator's own on streams from before it.</summary>
    public string UpstreamRequestId { get; init; } = "";

    /// <summary>The keyed hashes of the voucher's code and PIN: how text that echoes them is recognised without them.</summary>
    public string? VoucherCodeHash { get; init; }

    public string? VoucherPinHash { get; init; }

    /// <summary>
    /// The thirdPartyIdentifiers advices carry upstream: the provider's response's, unaltered, once it
    /// approved; the request's as sent before that (a reversal of an unknown or in-flight outcome).
    /// </summary>
    public IReadOnlyList<ThirdPartyIdentifier> Identifiers { get; init; } = [];
    public RedemptionOutcome Outcome { get; init; }
    public RedemptionResolution Resolution { get; init; }
    public string? ConfirmationId { get; init; }
    public string? ReversalId { get; init; }
    public ReversalOrigin? ReversedBy { get; init; }
    public AdviceDelivery? ReversalDelivery { get; init; }
    public string? ReversalJson { get; init; }
    public string? ReversalBeforeRequestId { get; init; }
    public IReadOnlySet<string> RefusedAdvices { get; init; } = new HashSet<string>();

    /// <summary>Stream key: request ids are scoped to the client that sent them, and UUIDs compare case-blind.</summary>
    public static string StreamKey(string clientId, string requestId) =>
        $"redemption-{clientId}-{requestId.ToLowerInvariant()}";

    public static Redemption? Fold(IEnumerable<object> events) =>
        events.Aggregate((Redemption?)null, Evolve);

    public static Redemption? Evolve(Redemption? state, object @event) => (state, @event) switch
    {
        (null, RedemptionRequested e) => Requested(e),
        (null, ReversalReceivedBeforeRequest e) => new Redemption
        {
            ClientId = e.ClientId, RequestId = e.RequestId, Outcome = RedemptionOutcome.NoRequest, ReversalBeforeRequestId = e.AdviceId,
        },
        (null, _) => throw new InvalidOperationException($"a redemption stream cannot start with {@event.GetType().Name}"),
        (_, VoucherRedeemed e) => state with
        {
            Outcome = RedemptionOutcome.Approved,
            // Approvals recorded before the response's identifiers were kept: the answer given holds them.
            Identifiers = e.ProviderIdentifiers ?? SuvJson.Deserialize<RedemptionResponse>(e.ResponseJson).ThirdPartyIdentifiers ?? state.Identifiers,
        },
        (_, RedemptionDeclined) => state with { Outcome = RedemptionOutcome.Declined },
        (_, RedemptionNotSent) => state with { Outcome = RedemptionOutcome.NotSent },
        (_, RedemptionOutcomeUnknown) or (_, RedemptionAnsweredUnknown) => state with { Outcome = RedemptionOutcome.Unknown },
        (_, RedemptionConfirmed e) => state with { Resolution = RedemptionResolution.Confirmed, ConfirmationId = e.AdviceId },
        (_, RedemptionReversed e) => state with
        {
            Resolution = RedemptionResolution.Reversed, ReversalId = e.AdviceId, ReversedBy = e.Origin, ReversalDelivery = e.Delivery,
            ReversalJson = e.AdviceJson,
        },
        (_, PendingReversalSettled e) => state with { ReversalDelivery = e.Delivery },
        (_, ReversalReceivedBeforeRequest) => state,
        (_, AdviceRefused e) => state with { RefusedAdvices = new HashSet<string>(state.RefusedAdvices) { e.AdviceId } },
        (_, ProviderAdviceAcked) or (_, ProviderAdviceRefused) or (_, AdviceRetryRequested) or (_, AdviceResendRequested) => state,
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot follow in a redemption stream"),
    };

    private static Redemption Requested(RedemptionRequested e)
    {
        // The request exactly as the provider got it is in the event: its id and identifiers are
        // read from there, so streams written before upstream ids existed read the same way.
        var upstream = SuvJson.Deserialize<RedemptionRequest>(e.UpstreamRequestJson);
        return new Redemption
        {
            ClientId = e.ClientId, RequestId = e.RequestId, ProviderId = e.ProviderId, SwitchReference = e.SwitchReference,
            UpstreamRequestId = upstream.Id ?? e.RequestId, VoucherCodeHash = e.VoucherCodeHash, VoucherPinHash = e.VoucherPinHash,
            Identifiers = upstream.ThirdPartyIdentifiers ?? [],
            Outcome = RedemptionOutcome.AwaitingProvider,
        };
    }
}

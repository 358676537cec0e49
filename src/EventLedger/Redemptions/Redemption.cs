using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

/// <summary>What the provider's answer was, as far as the switch knows.</summary>
public enum RedemptionOutcome
{
    /// <summary>
    /// The view's word for a stream with only a reversal that came before its request. The state
    /// never holds it: it has a case of its own for that stream (<see cref="Redemption.ReversedBeforeRequest"/>).
    /// Kept here because views store the outcome by name.
    /// </summary>
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

/// <summary>A reversal as the ledger recorded it: what a pending one is forwarded with once its outcome is known.</summary>
public sealed record RecordedReversal(string AdviceId, ReversalOrigin Origin, AdviceDelivery Delivery, string AdviceJson);

/// <summary>
/// The state of one redemption stream, folded from its events: one of two cases, closed (the
/// constructor is private), so a decision handles a stream that only a reversal started apart from
/// one whose request was made. Immutable: decisions read it.
/// </summary>
public abstract record Redemption
{
    private Redemption()
    {
    }

    public required string ClientId { get; init; }
    public required string RequestId { get; init; }
    public IReadOnlySet<string> RefusedAdvices { get; init; } = new HashSet<string>();

    /// <summary>Only a reversal came, before any request: the request, should it arrive, is refused as reversed.</summary>
    public sealed record ReversedBeforeRequest : Redemption
    {
        public required string ReversalId { get; init; }
    }

    /// <summary>The request was made: recorded before the provider was called.</summary>
    public sealed record Requested : Redemption
    {
        public required string ProviderId { get; init; }

        /// <summary>The switch's reference for the request (unique per attempt to redeem): how a write in doubt knows its own. None on streams from before it.</summary>
        public string? SwitchReference { get; init; }

        /// <summary>The id the provider knows the request by (<see cref="UpstreamIds"/>); the originator's own on streams from before it.</summary>
        public required string UpstreamRequestId { get; init; }

        /// <summary>The keyed hashes of the voucher's code and PIN: how text that echoes them is recognised without them.</summary>
        public string? VoucherCodeHash { get; init; }

        public string? VoucherPinHash { get; init; }

        /// <summary>
        /// The thirdPartyIdentifiers advices carry upstream: the provider's response's, unaltered, once it
        /// approved; the request's as sent before that (a reversal of an unknown or in-flight outcome).
        /// </summary>
        public IReadOnlyList<ThirdPartyIdentifier> Identifiers { get; init; } = [];

        /// <summary>Never <see cref="RedemptionOutcome.NoRequest"/>: that stream is the other case.</summary>
        public RedemptionOutcome Outcome { get; init; } = RedemptionOutcome.AwaitingProvider;

        /// <summary>The confirmation that resolved it, if one did; never both this and <see cref="Reversal"/>.</summary>
        public string? ConfirmationId { get; init; }

        public RecordedReversal? Reversal { get; init; }

        public RedemptionResolution Resolution =>
            Reversal is not null ? RedemptionResolution.Reversed
            : ConfirmationId is not null ? RedemptionResolution.Confirmed
            : RedemptionResolution.Open;
    }

    /// <summary>Stream key: request ids are scoped to the client that sent them, and UUIDs compare case-blind.</summary>
    public static string StreamKey(string clientId, string requestId) =>
        $"redemption-{clientId}-{requestId.ToLowerInvariant()}";

    /// <summary>What a switch over <see cref="Requested.Outcome"/> throws for the one name the state never holds.</summary>
    public static InvalidOperationException NotAnOutcome() => new("a requested redemption with no request");

    /// <summary>The state of a stream whose request was recorded first: what deciding an outcome needs.</summary>
    public static Requested AfterRequest(Redemption? state) => state as Requested
        ?? throw new InvalidOperationException("an outcome for a redemption whose request was not recorded");

    public static Redemption? Fold(IEnumerable<object> events) =>
        events.Aggregate((Redemption?)null, Evolve);

    public static Redemption? Evolve(Redemption? state, object @event) => (state, @event) switch
    {
        (null, RedemptionRequested e) => Started(e),
        (null, ReversalReceivedBeforeRequest e) => new ReversedBeforeRequest { ClientId = e.ClientId, RequestId = e.RequestId, ReversalId = e.AdviceId },
        (null, _) => throw new InvalidOperationException($"a redemption stream cannot start with {@event.GetType().Name}"),
        (_, AdviceRefused e) => state with { RefusedAdvices = new HashSet<string>(state.RefusedAdvices) { e.AdviceId } },
        (_, ProviderAdviceAcked) or (_, ProviderAdviceRefused) or (_, AdviceRetryRequested) or (_, AdviceResendRequested)
            or (_, ReversalReceivedBeforeRequest) => state,
        (Requested requested, _) => Evolve(requested, @event),
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot follow a reversal that came before its request"),
    };

    private static Requested Evolve(Requested state, object @event) => @event switch
    {
        VoucherRedeemed e => state with
        {
            Outcome = RedemptionOutcome.Approved,
            // Approvals recorded before the response's identifiers were kept: the answer given holds them.
            Identifiers = e.ProviderIdentifiers ?? SuvJson.Deserialize<RedemptionResponse>(e.ResponseJson).ThirdPartyIdentifiers ?? state.Identifiers,
        },
        RedemptionDeclined => state with { Outcome = RedemptionOutcome.Declined },
        RedemptionNotSent => state with { Outcome = RedemptionOutcome.NotSent },
        RedemptionOutcomeUnknown or RedemptionAnsweredUnknown => state with { Outcome = RedemptionOutcome.Unknown },
        RedemptionConfirmed e => state with { ConfirmationId = e.AdviceId },
        RedemptionReversed e => state with { Reversal = new RecordedReversal(e.AdviceId, e.Origin, e.Delivery, e.AdviceJson) },
        PendingReversalSettled e => state with
        {
            Reversal = (state.Reversal ?? throw new InvalidOperationException("a pending reversal settled with none recorded")) with { Delivery = e.Delivery },
        },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot follow in a redemption stream"),
    };

    private static Requested Started(RedemptionRequested e)
    {
        // The request exactly as the provider got it is in the event: its id and identifiers are
        // read from there, so streams written before upstream ids existed read the same way.
        var upstream = SuvJson.Deserialize<RedemptionRequest>(e.UpstreamRequestJson);
        return new Requested
        {
            ClientId = e.ClientId, RequestId = e.RequestId, ProviderId = e.ProviderId, SwitchReference = e.SwitchReference,
            UpstreamRequestId = upstream.Id ?? e.RequestId, VoucherCodeHash = e.VoucherCodeHash, VoucherPinHash = e.VoucherPinHash,
            Identifiers = upstream.ThirdPartyIdentifiers ?? [],
        };
    }
}

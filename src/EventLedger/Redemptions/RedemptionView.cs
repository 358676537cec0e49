using JasperFx.Events;
using Marten.Events.Aggregation;

namespace EventLedger.Redemptions;

/// <summary>Where a redemption stands, in one word, for searches and finance.</summary>
public enum TransactionStatus
{
    /// <summary>Sent; the provider's answer is awaited.</summary>
    Open,

    /// <summary>Approved and neither confirmed nor reversed (single messaging ends here).</summary>
    Approved,

    Confirmed,

    /// <summary>Reversed after an approval, an unknown outcome, or while in flight.</summary>
    Reversed,

    Declined,

    /// <summary>Never reached the provider.</summary>
    NotSent,

    /// <summary>No final answer from the provider and nothing reversing it.</summary>
    Unknown,

    /// <summary>Only a reversal arrived; the request never did.</summary>
    ReversedBeforeRequest,
}

/// <summary>
/// One redemption as people and lookups read it: built by the async daemon from the stream, never
/// written by the endpoints. Voucher codes only masked and keyed-hashed, as in the events.
/// </summary>
public sealed class RedemptionView
{
    public string Id { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string RequestId { get; set; } = "";

    /// <summary>The id the provider knows the request by: what its settlement files and its people quote.</summary>
    public string? UpstreamRequestId { get; set; }
    public string? ProviderId { get; set; }
    public string? OriginatorInstitutionId { get; set; }
    public string? MerchantId { get; set; }
    public string? TerminalId { get; set; }
    public long? RequestAmountMinor { get; set; }
    public long? ApprovedAmountMinor { get; set; }
    public string? Currency { get; set; }
    public string? VoucherCodeMasked { get; set; }
    public string? VoucherCodeHash { get; set; }
    public string? SwitchReference { get; set; }
    public string? ProviderReference { get; set; }
    public RedemptionOutcome Outcome { get; set; }
    public RedemptionResolution Resolution { get; set; }
    public TransactionStatus Status { get; set; }

    /// <summary>The exact answer the originator got: what lookupRedemption replays.</summary>
    public int? AnswerStatus { get; set; }
    public string? AnswerJson { get; set; }

    /// <summary>The switch's own reversal of an unknown outcome, while the provider has given no final answer to it.</summary>
    public string? UnacknowledgedSwitchReversal { get; set; }

    /// <summary>When the switch received the request (server time): the business day counts from this.</summary>
    public DateTimeOffset? RequestedAt { get; set; }
    public DateTimeOffset? OutcomeAt { get; set; }

    /// <summary>When the outcome became final (see <see cref="OutcomeFinal"/>): the processing period counts from here.</summary>
    public DateTimeOffset? FinalAt { get; set; }

    public DateTimeOffset LastEventAt { get; set; }

    /// <summary>The stream version and global sequence of the last event applied.</summary>
    public long LastVersion { get; set; }
    public long LastSequence { get; set; }

    /// <summary>
    /// Final as far as the switch knows: the provider answered, or the request never reached it; an
    /// unknown outcome once the provider answered the switch's reversal of it, yes or no (or none was queued).
    /// </summary>
    public bool OutcomeFinal => Outcome is RedemptionOutcome.Approved or RedemptionOutcome.Declined or RedemptionOutcome.NotSent
        || (Outcome == RedemptionOutcome.Unknown && UnacknowledgedSwitchReversal is null);
}

/// <summary>Folds a redemption stream into its <see cref="RedemptionView"/>; asynchronous, rebuildable.</summary>
public sealed class RedemptionViewProjection : SingleStreamProjection<RedemptionView, string>
{
    public override RedemptionView? Evolve(RedemptionView? snapshot, string id, IEvent e) =>
        // Only redemption streams get a view: a stream starts with its request or a reversal that
        // came first; lookups and closed days are streams of their own and have none.
        snapshot is null && e.Data is not (RedemptionRequested or ReversalReceivedBeforeRequest)
            ? null
            : Fold(snapshot ?? new RedemptionView { Id = id }, new Recorded(e.Data, e.Timestamp, e.Version, e.Sequence));

    /// <summary>An event with what the view takes from its envelope; finance folds events it reads itself.</summary>
    public sealed record Recorded(object Data, DateTimeOffset Timestamp, long Version, long Sequence);

    public static RedemptionView Fold(RedemptionView view, Recorded e)
    {
        switch (e.Data)
        {
            case RedemptionRequested r:
                Requested(view, r, e.Timestamp);
                break;
            case ReversalReceivedBeforeRequest r:
                view.ClientId = r.ClientId;
                view.RequestId = r.RequestId;
                view.Outcome = RedemptionOutcome.NoRequest;
                view.Resolution = RedemptionResolution.Reversed;
                break;
            case VoucherRedeemed r:
                Answered(view, RedemptionOutcome.Approved, r.Status, r.ResponseJson, e);
                view.ApprovedAmountMinor = r.ApprovedAmountMinor;
                view.Currency = r.Currency ?? view.Currency;
                view.ProviderReference = r.ProviderReference;
                break;
            case RedemptionDeclined r:
                Answered(view, RedemptionOutcome.Declined, r.Status, r.ErrorJson, e);
                break;
            case RedemptionNotSent r:
                Answered(view, RedemptionOutcome.NotSent, 503, r.ErrorJson, e);
                break;
            case RedemptionOutcomeUnknown r:
                Answered(view, RedemptionOutcome.Unknown, 504, r.ErrorJson, e);
                break;
            case RedemptionAnsweredUnknown r:
                Answered(view, RedemptionOutcome.Unknown, 504, r.ErrorJson, e);
                break;
            case RedemptionConfirmed:
                view.Resolution = RedemptionResolution.Confirmed;
                break;
            case RedemptionReversed r:
                view.Resolution = RedemptionResolution.Reversed;
                if (r.Origin == ReversalOrigin.Switch && r.Delivery == AdviceDelivery.Forward)
                {
                    view.UnacknowledgedSwitchReversal = r.AdviceId;
                }

                break;
            case ProviderAdviceAcked a when a.AdviceId == view.UnacknowledgedSwitchReversal:
                view.UnacknowledgedSwitchReversal = null;
                break;
            case ProviderAdviceRefused a when a.AdviceId == view.UnacknowledgedSwitchReversal:
                // The provider's final no to the switch's reversal: no answer will come from here on
                // without an operator, so the unknown outcome is as final as it gets and lookups
                // serve it (the 504 the originator got, which stays true) instead of "still processing".
                view.UnacknowledgedSwitchReversal = null;
                break;
        }

        view.Status = StatusOf(view);
        if (view.OutcomeFinal && view.FinalAt is null)
        {
            view.FinalAt = e.Timestamp;
        }

        view.LastEventAt = e.Timestamp;
        view.LastVersion = e.Version;
        view.LastSequence = e.Sequence;
        return view;
    }

    public static TransactionStatus StatusOf(RedemptionView view) => (view.Outcome, view.Resolution) switch
    {
        (RedemptionOutcome.NoRequest, _) => TransactionStatus.ReversedBeforeRequest,
        (RedemptionOutcome.Declined, _) => TransactionStatus.Declined,
        (RedemptionOutcome.NotSent, _) => TransactionStatus.NotSent,
        (_, RedemptionResolution.Confirmed) => TransactionStatus.Confirmed,
        (_, RedemptionResolution.Reversed) => TransactionStatus.Reversed,
        (RedemptionOutcome.Approved, _) => TransactionStatus.Approved,
        (RedemptionOutcome.Unknown, _) => TransactionStatus.Unknown,
        _ => TransactionStatus.Open,
    };

    private static void Requested(RedemptionView view, RedemptionRequested r, DateTimeOffset at)
    {
        view.ClientId = r.ClientId;
        view.RequestId = r.RequestId;
        // Lower-cased, as providers' files and desks may spell it either way; ids are UUIDs.
        view.UpstreamRequestId = (Suv.SuvJson.Deserialize<Suv.Messages.RedemptionRequest>(r.UpstreamRequestJson).Id ?? r.RequestId).ToLowerInvariant();
        view.ProviderId = r.ProviderId;
        view.OriginatorInstitutionId = r.OriginatorInstitutionId;
        view.MerchantId = r.MerchantId;
        view.TerminalId = r.TerminalId;
        view.RequestAmountMinor = r.RequestAmountMinor;
        view.Currency = r.Currency;
        view.VoucherCodeMasked = r.VoucherCodeMasked;
        view.VoucherCodeHash = r.VoucherCodeHash;
        view.SwitchReference = r.SwitchReference;
        view.RequestedAt = at;
        view.Outcome = RedemptionOutcome.AwaitingProvider;
    }

    private static void Answered(RedemptionView view, RedemptionOutcome outcome, int status, string json, Recorded e)
    {
        view.Outcome = outcome;
        view.AnswerStatus = status;
        view.AnswerJson = json;
        view.OutcomeAt = e.Timestamp;
    }
}

using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using EventLedger.Suv;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EventLedger.Redemptions;

/// <summary>reverseRedeem: answered at once from the ledger; the provider hears of it by store-and-forward.</summary>
public static class Reverse
{
    [WolverinePost("/suv/v1/redemptions/reversals", OperationId = "reverseRedeem")]
    [SuvBody(typeof(BasicReversal))]
    [ProducesResponseType(typeof(BasicReversal), 202)]
    [ProducesResponseType(typeof(ErrorDetail), 400)]
    [ProducesResponseType(typeof(ErrorDetail), 404)]
    public static Task<IResult> Post(HttpContext context, RedemptionLedger ledger, ProviderDirectory providers, Security.VoucherCodes codes, TimeProvider time) =>
        Advices.HandleAsync<BasicReversal>(context, ledger, providers, codes, time, SuvValidator.Validate,
            (reversal, clientId) => new AdviceCommand(
                AdviceKind.Reversal, clientId, reversal.Id!, reversal.RequestId!, SuvJson.Serialize(reversal), reversal.ReversalReason),
            Decide);

    /// <summary>The reversal column of the advice table in docs/protocol.md, cell by cell.</summary>
    public static Decision<OriginatorAnswer> Decide(Redemption? state, AdviceCommand advice, bool providerTakesReversals, DateTimeOffset now)
    {
        if (state is null)
        {
            // Recorded, so that the request, should it arrive late, is refused rather than redeemed.
            return Advices.NotFound(advice,
                new ReversalReceivedBeforeRequest(advice.ClientId, advice.RequestId, advice.AdviceId, advice.AdviceJson, now));
        }

        if (state is not Redemption.Requested requested)
        {
            return Advices.NotFound(advice); // only a reversal that came before its request
        }

        return requested.Resolution switch
        {
            RedemptionResolution.Confirmed => Advices.Refused(state, advice, 400, ErrorTypes.RedemptionAlreadyConfirmed, "Redemption already confirmed", now),
            RedemptionResolution.Reversed => Advices.Accepted(advice),
            RedemptionResolution.Open => Recorded(advice, requested.Outcome switch
            {
                RedemptionOutcome.AwaitingProvider => AdviceDelivery.AwaitingOutcome,
                RedemptionOutcome.Declined or RedemptionOutcome.NotSent => AdviceDelivery.NotNeeded,
                RedemptionOutcome.Approved or RedemptionOutcome.Unknown => Advices.Delivery(providerTakesReversals),
                RedemptionOutcome.NoRequest => throw Redemption.NotAnOutcome(),
            }, now),
        };
    }

    private static Decision<OriginatorAnswer> Recorded(AdviceCommand advice, AdviceDelivery delivery, DateTimeOffset now) =>
        Advices.Accepted(advice,
            [new RedemptionReversed(advice.AdviceId, ReversalOrigin.Originator, advice.ReversalReason ?? throw new InvalidOperationException("a reversal without its reason"), advice.AdviceJson, delivery, now)],
            Advices.ConsumedAck(delivery, AdviceKind.Reversal, advice.AdviceId, now));
}

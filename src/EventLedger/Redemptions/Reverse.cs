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

        if (state.Outcome == RedemptionOutcome.NoRequest)
        {
            return Advices.NotFound(advice);
        }

        if (state.Resolution == RedemptionResolution.Confirmed)
        {
            return Advices.Refused(state, advice, 400, ErrorTypes.RedemptionAlreadyConfirmed, "Redemption already confirmed", now);
        }

        if (state.Resolution == RedemptionResolution.Reversed)
        {
            return Advices.Accepted(advice);
        }

        var delivery = state.Outcome switch
        {
            RedemptionOutcome.AwaitingProvider => AdviceDelivery.AwaitingOutcome,
            RedemptionOutcome.Declined or RedemptionOutcome.NotSent => AdviceDelivery.NotNeeded,
            _ => Advices.Delivery(providerTakesReversals),
        };
        return Advices.Accepted(advice,
            [new RedemptionReversed(advice.AdviceId, ReversalOrigin.Originator, advice.ReversalReason!, advice.AdviceJson, delivery, now)],
            Advices.ConsumedAck(delivery, AdviceKind.Reversal, advice.AdviceId, now));
    }
}

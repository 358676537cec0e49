using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using EventLedger.Suv;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EventLedger.Redemptions;

/// <summary>confirmRedeem: answered at once from the ledger; the provider hears of it by store-and-forward.</summary>
public static class Confirm
{
    [WolverinePost("/suv/v1/redemptions/confirmations", OperationId = "confirmRedeem")]
    [SuvBody(typeof(BasicAdvice))]
    [ProducesResponseType(typeof(BasicAdvice), 202)]
    [ProducesResponseType(typeof(ErrorDetail), 400)]
    [ProducesResponseType(typeof(ErrorDetail), 404)]
    [ProducesResponseType(typeof(ErrorDetail), 503)]
    public static Task<IResult> Post(HttpContext context, RedemptionLedger ledger, ProviderDirectory providers, Security.VoucherCodes codes, TimeProvider time) =>
        Advices.HandleAsync<BasicAdvice>(context, ledger, providers, codes, time, SuvValidator.Validate,
            (advice, clientId) => new AdviceCommand(AdviceKind.Confirmation, clientId, advice.Id!, advice.RequestId!, SuvJson.Serialize(advice), null),
            Decide);

    /// <summary>The confirmation column of the advice table in docs/protocol.md, cell by cell.</summary>
    public static Decision<OriginatorAnswer> Decide(Redemption? state, AdviceCommand advice, bool providerTakesConfirmations, DateTimeOffset now)
    {
        if (state is not Redemption.Requested requested)
        {
            return Advices.NotFound(advice); // no stream, or only a reversal that came before its request
        }

        return requested.Resolution switch
        {
            RedemptionResolution.Reversed => Advices.Refused(state, advice, 400, ErrorTypes.RedemptionAlreadyReversed, "Redemption already reversed", now),
            RedemptionResolution.Confirmed => Advices.Accepted(advice),
            RedemptionResolution.Open => requested.Outcome switch
            {
                RedemptionOutcome.AwaitingProvider => Advices.TryAgain(advice),
                RedemptionOutcome.Declined or RedemptionOutcome.NotSent =>
                    Advices.Refused(state, advice, 400, ErrorTypes.VoucherNotRedeemed, "The voucher was not redeemed", now),
                // Unknown here means no reversal was queued (the provider's policy): the provider decides.
                RedemptionOutcome.Approved or RedemptionOutcome.Unknown => Forwarded(advice, providerTakesConfirmations, now),
                RedemptionOutcome.NoRequest => throw Redemption.NotAnOutcome(),
            },
        };
    }

    private static Decision<OriginatorAnswer> Forwarded(AdviceCommand advice, bool providerTakesConfirmations, DateTimeOffset now)
    {
        var delivery = Advices.Delivery(providerTakesConfirmations);
        return Advices.Accepted(advice,
            [new RedemptionConfirmed(advice.AdviceId, advice.AdviceJson, delivery, now)],
            Advices.ConsumedAck(delivery, AdviceKind.Confirmation, advice.AdviceId, now));
    }
}

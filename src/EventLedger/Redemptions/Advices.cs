using EventLedger.Clients;
using EventLedger.Providers;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Redemptions;

/// <summary>An originator's confirmation or reversal, as the decisions see it.</summary>
public sealed record AdviceCommand(AdviceKind Kind, string ClientId, string AdviceId, string RequestId, string AdviceJson, string? ReversalReason);

/// <summary>The parts the confirmation and reversal slices share: delivery choice, refusals, the endpoint's flow.</summary>
public static class Advices
{
    public static AdviceDelivery Delivery(bool providerTakesIt) =>
        providerTakesIt ? AdviceDelivery.Forward : AdviceDelivery.ConsumedBySwitch;

    /// <summary>An advice the provider takes none of is acknowledged by the switch at once.</summary>
    public static IEnumerable<object> ConsumedAck(AdviceDelivery delivery, AdviceKind kind, string adviceId, DateTimeOffset now) =>
        delivery == AdviceDelivery.ConsumedBySwitch ? [new ProviderAdviceAcked(kind, adviceId, BySwitch: true, ProviderStatus: null, now)] : [];

    public static Decision<OriginatorAnswer> Accepted(AdviceCommand advice, params IEnumerable<object>[] events) =>
        new([.. events.SelectMany(e => e)], new OriginatorAnswer(202, advice.AdviceJson));

    public static Decision<OriginatorAnswer> NotFound(AdviceCommand advice, params object[] events) =>
        new(events, OriginatorAnswer.Error(404, ErrorDetail.Of(ErrorTypes.UnableToLocateRecord, "No redemption with this request id", advice.AdviceId, advice.RequestId)));

    /// <summary>
    /// Refusals recorded per redemption at most: past this, refusals are answered alike but not
    /// recorded, so that a client sending refused advices under ever new ids cannot grow a stream
    /// without bound (operators see the first ones; the answer never changes).
    /// </summary>
    public const int MaxRecordedRefusals = 100;

    /// <summary>A refusal the table prescribes; recorded the first time this advice id is refused, up to <see cref="MaxRecordedRefusals"/>.</summary>
    public static Decision<OriginatorAnswer> Refused(Redemption state, AdviceCommand advice, int status, string errorType, string message, DateTimeOffset now)
    {
        object[] events = state.RefusedAdvices.Contains(advice.AdviceId) || state.RefusedAdvices.Count >= MaxRecordedRefusals
            ? []
            : [new AdviceRefused(advice.Kind, advice.AdviceId, status, errorType, now)];
        return new(events, OriginatorAnswer.Error(status, ErrorDetail.Of(errorType, message, advice.AdviceId, advice.RequestId)));
    }

    /// <summary>The outcome is not known yet: nothing is decided and the originator resends.</summary>
    public static Decision<OriginatorAnswer> TryAgain(AdviceCommand advice) =>
        Decision.Only(OriginatorAnswer.Error(503,
            ErrorDetail.Of(ErrorTypes.UpstreamUnavailable, "The redemption's outcome is not known yet; resend", advice.AdviceId, advice.RequestId)));

    /// <summary>Read, check ownership, decide against the stream, answer: the same for both advice kinds.</summary>
    public static async Task<IResult> HandleAsync<TAdvice>(
        HttpContext context, RedemptionLedger ledger, ProviderDirectory providers, Security.VoucherCodes codes, TimeProvider time,
        Func<TAdvice, IReadOnlyList<Suv.Messages.FormatError>> validate,
        Func<TAdvice, string, AdviceCommand> command,
        Func<Redemption?, AdviceCommand, bool, DateTimeOffset, Decision<OriginatorAnswer>> decide)
        where TAdvice : BasicAdvice
    {
        var read = await SuvHttp.ReadAsync(context.Request, validate, context.RequestAborted);
        if (!read.IsValid)
        {
            return SuvHttp.Error(read);
        }

        var advice = command(read.Message!, context.Originator().Id);
        using var scope = RedemptionLog.Scope(context, typeof(Advices), advice.ClientId, advice.RequestId, advice.AdviceId);
        var now = time.GetUtcNow();
        var key = Redemption.StreamKey(advice.ClientId, advice.RequestId);
        // An originator's free text is stored too: the voucher's code, should it appear, is masked first.
        var answer = await ledger.DecideAsync(key, state =>
        {
            var requested = state as Redemption.Requested;
            var recognising = codes.Recognising(requested?.VoucherCodeHash, requested?.VoucherPinHash, key);
            return decide(state, advice with { AdviceJson = Security.SecretScrubber.Json(advice.AdviceJson, recognising) },
                ProviderTakes(providers, requested, advice.Kind), now);
        }, CancellationToken.None);
        return answer.ToResult();
    }

    private static bool ProviderTakes(ProviderDirectory providers, Redemption.Requested? state, AdviceKind kind)
    {
        // A provider since removed from configuration is assumed to take advices: store-and-forward
        // then holds them for an operator rather than the switch silently consuming them.
        var provider = state is null ? null : providers.ByInstitution(state.ProviderId);
        return provider is null || (kind == AdviceKind.Confirmation ? provider.TakesConfirmations : provider.TakesReversals);
    }
}

using EventLedger.Clients;
using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Security;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using EventLedger.Suv;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace EventLedger.Redemptions;

/// <summary>
/// redeemVoucher: record the request, forward it synchronously with the provider's timeout, record
/// the outcome, answer. The request is appended before the call so that a crash in between leaves
/// an "awaiting provider" redemption to recover, never a redemption the ledger does not know of.
/// </summary>
public static class Redeem
{
    /// <summary>Pause between attempts to write while the database is away.</summary>
    private static readonly TimeSpan RecordRetryPause = TimeSpan.FromMilliseconds(250);

    [WolverinePost("/suv/v1/redemptions", OperationId = "redeemVoucher")]
    [SuvBody(typeof(RedemptionRequest))]
    [ProducesResponseType(typeof(RedemptionResponse), 201)]
    [ProducesResponseType(typeof(ErrorDetail), 400)]
    [ProducesResponseType(typeof(ErrorDetail), 503)]
    [ProducesResponseType(typeof(ErrorDetail), 504)]
    public static async Task<IResult> Post(
        HttpContext context, ProviderDirectory providers, ProviderGateway gateway, VoucherCodes codes,
        RedemptionLedger ledger, SwitchOptions switchOptions, RedemptionOptions options, LedgerAvailability availability,
        UnknownAnswers unknownAnswers, ILoggerFactory logs, TimeProvider time)
    {
        var read = await SuvHttp.ReadAsync<RedemptionRequest>(context.Request, SuvValidator.Validate, context.RequestAborted);
        if (!read.IsValid)
        {
            return SuvHttp.Error(read);
        }

        var request = read.Message!;
        if (context.MismatchedClient(request.Client, request.Id) is { } authError)
        {
            return SuvHttp.Error(400, authError);
        }

        var provider = providers.Route(request.Receiver?.Id, request.Voucher?.Code);
        if (provider is null)
        {
            return SuvHttp.Error(400, ErrorDetail.Of(ErrorTypes.RoutingError, "No provider for this voucher", request.Id));
        }

        var now = time.GetUtcNow();
        var command = RedeemCommand.Of(request, provider, codes, new Institution { Id = switchOptions.InstitutionId, Name = switchOptions.Name }, now);
        var key = command.StreamKey;
        var log = logs.CreateLogger(typeof(Redeem));
        using var scope = RedemptionLog.Scope(log, command.ClientId, command.RequestId, provider.InstitutionId);

        // The stream is started before the call; a second request with this id, even one racing
        // this one, loses the start and is refused without reaching the provider. While the database
        // is away the write is tried again for a while (a commit in doubt is recognised as our own);
        // past that the originator gets 503 and nothing has been sent.
        var recordFor = TimeSpan.FromMilliseconds(options.OutcomeRecordingMs);
        var refusal = await RecordAsync(() => ledger.DecideAsync(key, state => DecideRequest(state, command, now), CancellationToken.None),
            time.GetUtcNow() + recordFor, availability, time);
        if (refusal is not null)
        {
            return refusal.ToResult();
        }

        var upstream = RedemptionWire.Upstream(command);
        var result = await gateway.SendAsync(provider, HttpMethod.Post, "suv/v1/redemptions", SuvJson.SerializeToUtf8(upstream));
        var outcome = RedemptionWire.Classify(result, command);
        var reversalId = Guid.CreateVersion7(now).ToString();
        var answered = time.GetUtcNow();
        try
        {
            // The originator may have hung up; the outcome is recorded regardless.
            var answer = await RecordAsync(
                () => ledger.DecideAsync(key, state => DecideOutcome(Redemption.AfterRequest(state), outcome, command, reversalId, answered), CancellationToken.None),
                answered + recordFor, availability, time);
            log.LogInformation("Redemption {RedemptionRequestId} of client {ClientId} at provider {Provider}: {Outcome}, answered {Status}",
                command.RequestId, command.ClientId, provider.InstitutionId, outcome.GetType().Name, answer.Status);
            return answer.ToResult();
        }
        catch (Exception ex)
        {
            return AnswerUnknown(ex, key, command, unknownAnswers, log).ToResult();
        }
    }

    /// <summary>
    /// The request is recorded and the provider was called: whatever kept the outcome from the
    /// ledger, "nothing was recorded" would be untrue, so the originator is told the outcome is
    /// unknown. When the database was away or another node held the redemption, the ledger is made
    /// to say the same at once (for every later decision; in writing as soon as it can be), whatever
    /// an attempt in doubt recorded. Any other fault may well strike the correction again, so it is
    /// not owed: the redemption stays "awaiting provider" and in-flight recovery records it unknown
    /// and reverses it, as after a crash.
    /// </summary>
    private static OriginatorAnswer AnswerUnknown(Exception ex, string key, RedeemCommand command, UnknownAnswers unknownAnswers, ILogger log)
    {
        var unknown = RedemptionWire.UnknownOutcome(command.RequestId, "the provider's answer could not be recorded");
        if (Faults.IsDatabaseUnavailable(ex) || Faults.IsLockTimeout(ex))
        {
            log.LogWarning("Redemption {RedemptionRequestId} of client {ClientId}: the provider's answer could not be recorded ({Reason}); answered as unknown",
                command.RequestId, command.ClientId, Faults.Describe(ex));
            unknownAnswers.Owe(key, OutcomePolicy.For(command), unknown);
        }
        else
        {
            log.LogError(ex, "Redemption {RedemptionRequestId} of client {ClientId}: the provider's answer could not be recorded; answered as unknown, left to in-flight recovery",
                command.RequestId, command.ClientId);
        }

        return unknown.Answer;
    }

    /// <summary>Tries a write again while the database is away, until the deadline; then lets the fault through.</summary>
    private static async Task<T> RecordAsync<T>(Func<Task<T>> write, DateTimeOffset deadline, LedgerAvailability availability, TimeProvider time)
    {
        while (true)
        {
            try
            {
                return await write();
            }
            catch (Exception ex) when (Faults.IsDatabaseUnavailable(ex) && time.GetUtcNow() < deadline)
            {
                availability.Report(ex);
                await Task.Delay(RecordRetryPause, time);
            }
        }
    }

    /// <summary>Accept a new request, or refuse one whose id this client used before.</summary>
    public static Decision<OriginatorAnswer?> DecideRequest(Redemption? state, RedeemCommand command, DateTimeOffset now)
    {
        var request = command.Request;
        return state switch
        {
            null => new Decision<OriginatorAnswer?>(
            [
                new RedemptionRequested(
                    command.ClientId, command.RequestId, command.RequestTime, command.Provider.InstitutionId, command.SwitchReference,
                    request.Originator?.Institution?.Id, request.Originator?.Merchant?.MerchantId, request.Originator?.TerminalId,
                    request.Amounts?.RequestAmount?.Amount, request.Amounts?.RequestAmount?.Currency, command.Code.Masked, command.Code.Hash,
                    SecretScrubber.Json(SuvJson.Serialize(RedemptionWire.Redacted(RedemptionWire.Upstream(command), command.Code)), command.Secrets), now,
                    command.PinHash),
            ], null),
            // This very request, recorded by an attempt whose commit was in doubt.
            Redemption.Requested { Outcome: RedemptionOutcome.AwaitingProvider } same when same.SwitchReference == command.SwitchReference =>
                Decision.Only<OriginatorAnswer?>(null),
            Redemption.Requested => Decision.Only<OriginatorAnswer?>(
                OriginatorAnswer.Error(400, ErrorDetail.Of(ErrorTypes.DuplicateRecord, "Request id already used; look up its outcome", command.RequestId))),
            Redemption.ReversedBeforeRequest reversed => Decision.Only<OriginatorAnswer?>(
                OriginatorAnswer.Error(400, ErrorDetail.Of(ErrorTypes.RedemptionAlreadyReversed, "Redemption already reversed", command.RequestId, reversed.ReversalId))),
            _ => throw new InvalidOperationException($"no decision for {state.GetType().Name}"),
        };
    }

    /// <summary>What deciding an outcome needs to know besides the state: whose request, and the provider's policy.</summary>
    public sealed record OutcomePolicy(string RequestId, bool TakesReversals, bool ReverseUnknownOutcomes)
    {
        public static OutcomePolicy For(RedeemCommand command) =>
            new(command.RequestId, command.Provider.TakesReversals, command.Provider.ReverseUnknownOutcomes);
    }

    public static Decision<OriginatorAnswer> DecideOutcome(
        Redemption.Requested state, UpstreamOutcome outcome, RedeemCommand command, string switchReversalId, DateTimeOffset now) =>
        DecideOutcome(state, outcome, OutcomePolicy.For(command), switchReversalId, now);

    /// <summary>
    /// Record the provider's outcome. A reversal that arrived while the request was in flight is
    /// forwarded now if something may have been redeemed; an unknown outcome with no reversal yet
    /// gets the switch's own, when the provider's policy says so. An outcome already recorded is not
    /// recorded again: if it is this one, the commit of an earlier attempt was in doubt (the
    /// connection broke after the database committed) and its answer stands; otherwise recovery
    /// declared the outcome unknown (the answer came later than any provider timeout), and the
    /// ledger's unknown stands, its reversal settling the provider's side.
    /// </summary>
    public static Decision<OriginatorAnswer> DecideOutcome(
        Redemption.Requested state, UpstreamOutcome outcome, OutcomePolicy policy, string switchReversalId, DateTimeOffset now)
    {
        if (state.Outcome != RedemptionOutcome.AwaitingProvider)
        {
            return Decision.Only(state.Outcome == outcome.Recorded
                ? outcome.Answer
                : OriginatorAnswer.Error(504, ErrorDetail.Of(ErrorTypes.UpstreamUnavailable, "No final answer from the provider", policy.RequestId)));
        }

        var json = outcome.Answer.Json;
        var events = new List<object>
        {
            outcome switch
            {
                UpstreamOutcome.Approved a => new VoucherRedeemed(a.Answer.Status, json, a.ApprovedAmountMinor, a.Currency, a.ProviderReference, now, a.ProviderIdentifiers),
                UpstreamOutcome.Declined d => new RedemptionDeclined(d.Answer.Status, d.ErrorType, json, now),
                UpstreamOutcome.NotSent n => new RedemptionNotSent(n.Reason, json, now),
                UpstreamOutcome.Unknown u => new RedemptionOutcomeUnknown(u.Reason, json, now),
                _ => throw new InvalidOperationException("unknown outcome"),
            },
        };
        var somethingMayBeRedeemed = outcome is UpstreamOutcome.Approved or UpstreamOutcome.Unknown;
        if (state.Reversal is { Delivery: AdviceDelivery.AwaitingOutcome } pending)
        {
            var delivery = !somethingMayBeRedeemed ? AdviceDelivery.NotNeeded : Advices.Delivery(policy.TakesReversals);
            events.Add(new PendingReversalSettled(pending.AdviceId, delivery, now));
            events.AddRange(Advices.ConsumedAck(delivery, AdviceKind.Reversal, pending.AdviceId, now));
        }
        else if (outcome is UpstreamOutcome.Unknown)
        {
            events.AddRange(SwitchReversal(state, policy, switchReversalId, now));
        }

        return new Decision<OriginatorAnswer>(events, outcome.Answer);
    }

    /// <summary>The switch's own reversal of what may have been redeemed, when nothing resolved it yet and the provider's policy says so.</summary>
    /// <param name="delivery">Whether it goes to the provider; by default as the provider takes reversals.</param>
    public static IEnumerable<object> SwitchReversal(
        Redemption.Requested state, OutcomePolicy policy, string switchReversalId, DateTimeOffset now, AdviceDelivery? delivery = null)
    {
        if (state.Resolution != RedemptionResolution.Open || !policy.ReverseUnknownOutcomes)
        {
            return [];
        }

        var reversal = new BasicReversal
        {
            Id = switchReversalId,
            RequestId = state.RequestId,
            Time = SuvTime.Rfc3339(now),
            ThirdPartyIdentifiers = [.. state.Identifiers],
            ReversalReason = "TIMEOUT",
        };
        var how = delivery ?? Advices.Delivery(policy.TakesReversals);
        return [new RedemptionReversed(switchReversalId, ReversalOrigin.Switch, "TIMEOUT", SuvJson.Serialize(reversal), how, now),
            .. Advices.ConsumedAck(how, AdviceKind.Reversal, switchReversalId, now)];
    }
}

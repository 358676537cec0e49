using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Histories;

/// <summary>What a quiesced history left of one redemption: the till's calls and lookups, the ledger, the provider.</summary>
public sealed record RedemptionFacts(
    string RequestId,
    RedemptionSpec Spec,
    bool VoucherShared,
    IReadOnlyList<ObservedCall> Calls,
    IReadOnlyList<(int Status, string Body)> Lookups,
    (int Status, string Body) FinalLookup,
    IReadOnlyList<object> Events,
    SimulatedRedemptionState? ProviderState,
    bool ProviderSawReversalFirst);

/// <summary>
/// Judges one quiesced history against the reference model and the system's own records: every
/// violation is a sentence. Pure, so the checks themselves are tested with histories made by hand.
/// </summary>
public static class HistoryChecker
{
    public static IReadOnlyList<string> Check(RedemptionFacts f, bool faultStruck)
    {
        var problems = new List<string>();
        var oracle = OracleOf(f.Events);
        var final = FinalOf(f.Events, oracle);

        var resolutions = f.Events.Count(e => e is RedemptionConfirmed or RedemptionReversed);
        if (resolutions > 1)
        {
            problems.Add($"resolved {resolutions} times");
        }

        if (f.Events.OfType<RedemptionAnsweredUnknown>().Any())
        {
            problems.Add("answered unknown over a recorded outcome (database away past the recording deadline): outside this model");
        }
        else if (!Linearizer.Explains(f.Calls, oracle, final))
        {
            problems.Add($"no order of the calls explains the answers and the ledger's final state ({final}, outcome answered {oracle?.Answer.ToString() ?? "never"})");
        }

        problems.AddRange(OutcomeFitsTheFault(f.Spec, f.VoucherShared, oracle, faultStruck));
        problems.AddRange(ProviderAgrees(final, f.ProviderState, f.ProviderSawReversalFirst));
        problems.AddRange(AdvicesAnsweredOnce(f.Events));
        problems.AddRange(LookupsReplayTheAnswer(f, oracle));
        return problems;
    }

    /// <summary>The outcome the ledger recorded (the first one), with the answer that went with it.</summary>
    public static Oracle? OracleOf(IReadOnlyList<object> events) => events.FirstOrDefault(e =>
        e is VoucherRedeemed or RedemptionDeclined or RedemptionNotSent or RedemptionOutcomeUnknown) switch
    {
        VoucherRedeemed r => new Oracle(ModelOutcome.Approved, new Answer(201, null), r.ResponseJson),
        RedemptionDeclined d => new Oracle(ModelOutcome.Declined, new Answer(d.Status, d.ErrorType), d.ErrorJson),
        RedemptionNotSent n => new Oracle(ModelOutcome.NotSent, new Answer(503, ErrorTypes.UpstreamUnavailable), n.ErrorJson),
        RedemptionOutcomeUnknown u => new Oracle(ModelOutcome.Unknown, new Answer(504, ErrorTypes.UpstreamUnavailable), u.ErrorJson),
        _ => null,
    };

    /// <summary>The ledger's last word on the redemption, in the reference model's terms.</summary>
    public static ModelState FinalOf(IReadOnlyList<object> events, Oracle? oracle)
    {
        var requested = events.OfType<RedemptionRequested>().Any();
        var state = new ModelState(
            events.Count > 0 && events[0] is ReversalReceivedBeforeRequest,
            oracle?.Outcome ?? (requested ? ModelOutcome.Awaiting : ModelOutcome.None),
            ModelResolution.Open,
            null);
        return events.FirstOrDefault(e => e is RedemptionConfirmed or RedemptionReversed) switch
        {
            RedemptionConfirmed c => state with { Resolution = ModelResolution.Confirmed, ResolvedBy = c.AdviceId },
            RedemptionReversed r => state with
            {
                Resolution = ModelResolution.Reversed, ResolvedBy = r.Origin == ReversalOrigin.Switch ? ReferenceModel.Switch : r.AdviceId,
            },
            _ => state,
        };
    }

    /// <summary>The outcome must be what the provider's behaviour for this request makes it.</summary>
    private static IEnumerable<string> OutcomeFitsTheFault(RedemptionSpec spec, bool voucherShared, Oracle? oracle, bool faultStruck)
    {
        if (oracle is null)
        {
            yield break; // never requested (or refused as a duplicate of nothing): nothing to fit
        }

        // A switch killed or a database stopped while the history ran may leave an unknown outcome, whatever the provider did.
        var expected = spec.Fault switch
        {
            RedeemFault.Unreachable => [ModelOutcome.NotSent],
            RedeemFault.TurnsAway => [ModelOutcome.Declined],
            RedeemFault.None when spec.Voucher == VoucherKind.Unconfirmed => [ModelOutcome.Declined],
            RedeemFault.None when voucherShared => [ModelOutcome.Approved, ModelOutcome.Declined],
            RedeemFault.None => [ModelOutcome.Approved],
            _ => new[] { ModelOutcome.Unknown },
        };
        if (!expected.Contains(oracle.Outcome) && !(faultStruck && oracle.Outcome == ModelOutcome.Unknown))
        {
            yield return $"outcome {oracle.Outcome} does not fit a provider that {spec.Fault} with a {spec.Voucher}{(voucherShared ? " shared" : "")} voucher";
        }
    }

    /// <summary>The provider's final view of the request agrees with the ledger's.</summary>
    private static IEnumerable<string> ProviderAgrees(ModelState final, SimulatedRedemptionState? provider, bool reversalFirst)
    {
        var allowed = (final.Outcome, final.Resolution) switch
        {
            (ModelOutcome.Approved, ModelResolution.Confirmed) => [SimulatedRedemptionState.Confirmed],
            (ModelOutcome.Approved, ModelResolution.Reversed) => [SimulatedRedemptionState.Reversed],
            (ModelOutcome.Approved, ModelResolution.Open) => [SimulatedRedemptionState.Redeemed],
            (ModelOutcome.Unknown, ModelResolution.Reversed) => [null, SimulatedRedemptionState.Reversed],
            (ModelOutcome.Unknown, _) => Array.Empty<SimulatedRedemptionState?>(),
            _ => [null],
        };
        if (!allowed.Contains(provider))
        {
            yield return $"the provider holds the redemption as {provider?.ToString() ?? "never redeemed"}" +
                $"{(reversalFirst ? " (its reversal came first)" : "")} while the ledger says {final}";
        }
    }

    /// <summary>Every advice forwarded is acknowledged or refused by the provider exactly once in the ledger, and no other is.</summary>
    private static IEnumerable<string> AdvicesAnsweredOnce(IReadOnlyList<object> events)
    {
        var forwarded = events.Select(e => e switch
        {
            RedemptionConfirmed { Delivery: AdviceDelivery.Forward } c => c.AdviceId,
            RedemptionReversed { Delivery: AdviceDelivery.Forward } r => r.AdviceId,
            PendingReversalSettled { Delivery: AdviceDelivery.Forward } p => p.AdviceId,
            _ => null,
        }).OfType<string>().ToHashSet();
        var answers = events.Select(e => e switch
        {
            ProviderAdviceAcked a => a.AdviceId,
            ProviderAdviceRefused r => r.AdviceId,
            _ => null,
        }).OfType<string>().ToList();
        foreach (var advice in forwarded.Where(a => answers.Count(x => x == a) != 1))
        {
            yield return $"advice {advice} answered by the provider {answers.Count(x => x == advice)} times in the ledger";
        }

        foreach (var stray in answers.Where(a => !forwarded.Contains(a)).Distinct())
        {
            yield return $"advice {stray} answered by the provider but never forwarded";
        }
    }

    /// <summary>A settled lookup replays the original answer byte for byte; before that, "still processing".</summary>
    private static IEnumerable<string> LookupsReplayTheAnswer(RedemptionFacts f, Oracle? oracle)
    {
        if (oracle is null)
        {
            if (f.FinalLookup.Status != 404)
            {
                yield return $"lookup of a redemption never requested answered {f.FinalLookup.Status}";
            }

            yield break;
        }

        var status = oracle.Answer.Status is >= 200 and < 300 ? 200 : oracle.Answer.Status;
        if (f.FinalLookup.Status != status || f.FinalLookup.Body != oracle.Json)
        {
            yield return $"settled lookup answered {f.FinalLookup.Status} {f.FinalLookup.Body} instead of {status} {oracle.Json}";
        }

        foreach (var answered in f.Calls.Where(c => c.Kind == OpKind.Redeem && c.Answer == oracle.Answer && c.Body != oracle.Json))
        {
            yield return $"the till was answered {answered.Body} but the ledger recorded {oracle.Json}";
        }

        // Lookups with no answer, or answered "ledger unavailable", say nothing about the redemption.
        foreach (var early in f.Lookups.Where(l => l.Status is not (0 or 202 or 404) && !l.Body.Contains(ErrorTypes.GeneralError, StringComparison.Ordinal) &&
            (l.Status != status || l.Body != oracle.Json)))
        {
            yield return $"a lookup before settling answered {early.Status} {early.Body}";
        }
    }
}

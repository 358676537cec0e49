using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Histories;

public enum ModelOutcome
{
    None,
    Awaiting,
    Approved,
    Declined,
    NotSent,
    Unknown,
}

public enum ModelResolution
{
    Open,
    Confirmed,
    Reversed,
}

/// <summary>What a till was answered: the status and, for errors, the error type.</summary>
public readonly record struct Answer(int Status, string? ErrorType)
{
    public override string ToString() => ErrorType is null ? $"{Status}" : $"{Status} {ErrorType}";
}

/// <summary>One redemption as the protocol's tables see it. <c>ResolvedBy</c> is the resolving advice's id, or "switch".</summary>
public sealed record ModelState(bool ReversedBeforeRequest, ModelOutcome Outcome, ModelResolution Resolution, string? ResolvedBy)
{
    public static readonly ModelState Empty = new(false, ModelOutcome.None, ModelResolution.Open, null);

    public override string ToString() =>
        $"{(ReversedBeforeRequest ? "reversed before request, " : "")}{Outcome}, {Resolution}{(ResolvedBy is null ? "" : " by " + ResolvedBy)}";
}

/// <summary>The outcome the ledger recorded for the request, and the answer that goes with it: the oracle for the provider's side.</summary>
public sealed record Oracle(ModelOutcome Outcome, Answer Answer, string Json);

/// <summary>
/// docs/protocol.md's outcome and advice tables, written again, small and apart from the switch's
/// code, so that the histories are judged by the rules and not by the implementation. A redemption
/// is two steps: the request (which starts the stream, or is refused) and its outcome.
/// </summary>
public static class ReferenceModel
{
    public const string Switch = "switch";

    /// <summary>The request: refused (an answer), or accepted with its answer still to come from its outcome (null).</summary>
    public static (ModelState State, Answer? Answer) Redeem(ModelState s) =>
        s.ReversedBeforeRequest && s.Outcome == ModelOutcome.None ? (s, new Answer(400, ErrorTypes.RedemptionAlreadyReversed))
        : s.Outcome != ModelOutcome.None ? (s, new Answer(400, ErrorTypes.DuplicateRecord))
        : (s with { Outcome = ModelOutcome.Awaiting }, null);

    /// <summary>The provider's outcome lands; an unknown one is reversed by the switch unless something resolved it already.</summary>
    public static (ModelState State, Answer Answer) Outcome(ModelState s, Oracle oracle)
    {
        var next = s with { Outcome = oracle.Outcome };
        if (oracle.Outcome == ModelOutcome.Unknown && s.Resolution == ModelResolution.Open)
        {
            next = next with { Resolution = ModelResolution.Reversed, ResolvedBy = Switch };
        }

        return (next, oracle.Answer);
    }

    public static (ModelState State, Answer Answer) Confirm(ModelState s, string adviceId) => (s.Outcome, s.Resolution) switch
    {
        (ModelOutcome.None, _) => (s, new Answer(404, ErrorTypes.UnableToLocateRecord)),
        (_, ModelResolution.Reversed) => (s, new Answer(400, ErrorTypes.RedemptionAlreadyReversed)),
        (_, ModelResolution.Confirmed) => (s, new Answer(202, null)),
        (ModelOutcome.Awaiting, _) => (s, new Answer(503, ErrorTypes.UpstreamUnavailable)),
        (ModelOutcome.Declined or ModelOutcome.NotSent, _) => (s, new Answer(400, ErrorTypes.VoucherNotRedeemed)),
        _ => (s with { Resolution = ModelResolution.Confirmed, ResolvedBy = adviceId }, new Answer(202, null)),
    };

    public static (ModelState State, Answer Answer) Reverse(ModelState s, string adviceId) => (s.Outcome, s.Resolution) switch
    {
        (ModelOutcome.None, _) => (s with { ReversedBeforeRequest = true }, new Answer(404, ErrorTypes.UnableToLocateRecord)),
        (_, ModelResolution.Confirmed) => (s, new Answer(400, ErrorTypes.RedemptionAlreadyConfirmed)),
        (_, ModelResolution.Reversed) => (s, new Answer(202, null)),
        _ => (s with { Resolution = ModelResolution.Reversed, ResolvedBy = adviceId }, new Answer(202, null)),
    };
}

/// <summary>
/// One HTTP call of a history: when it started and ended (ticks of one clock), and its answer, or
/// null when the call is in doubt (no answer at all, or the switch's "ledger unavailable; may not
/// be recorded"), so that it may or may not have taken effect.
/// </summary>
public sealed record ObservedCall(OpKind Kind, string? AdviceId, long Start, long End, Answer? Answer, string? Body)
{
    public override string ToString() =>
        $"{Kind}{(AdviceId is null ? "" : " " + AdviceId[..8])} [{Start / TimeSpan.TicksPerMillisecond}-{End / TimeSpan.TicksPerMillisecond} ms] → {(Answer is { } a ? a.ToString() : "in doubt")}";
}

/// <summary>
/// Searches for an order of the calls that respects real time (a call that ended before another
/// began comes first), gives every definite call the answer it got from the reference model, and
/// ends in the state the ledger holds: the history is then explained by the protocol's tables.
/// In-doubt calls may or may not have taken effect. A history has a handful of calls, so the
/// search is exhaustive, with the states already seen remembered.
/// </summary>
public static class Linearizer
{
    /// <summary>States a search may visit before it is given up as too large to judge (a failure, not a pass).</summary>
    public const int MaxStates = 2_000_000;

    public static bool Explains(IReadOnlyList<ObservedCall> calls, Oracle? oracle, ModelState final)
    {
        var progress = new byte[calls.Count]; // 0 not placed, 1 request placed and its outcome pending, 2 done
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return Search(calls, oracle, final, progress, ModelState.Empty, seen);
    }

    private static bool Search(IReadOnlyList<ObservedCall> calls, Oracle? oracle, ModelState final, byte[] progress, ModelState state, HashSet<string> seen)
    {
        var definiteLeft = Enumerable.Range(0, calls.Count).Any(i => calls[i].Answer is not null && progress[i] < 2);
        if (!definiteLeft && !progress.Contains((byte)1) && state == final)
        {
            return true;
        }

        if (!seen.Add(Convert.ToHexString(progress) + state))
        {
            return false;
        }

        if (seen.Count > MaxStates)
        {
            throw new InvalidOperationException($"the history's {calls.Count} calls need more than {MaxStates} states to judge");
        }

        // Nothing may be placed after a call that ended before it began and is not placed yet.
        var bound = Enumerable.Range(0, calls.Count).Where(i => calls[i].Answer is not null && progress[i] < 2)
            .Select(i => calls[i].End).DefaultIfEmpty(long.MaxValue).Min();
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            if (progress[i] == 1 && oracle is not null)
            {
                var (next, answer) = ReferenceModel.Outcome(state, oracle);
                if (Fits(call, answer) && Try(calls, oracle, final, progress, i, 2, next, seen))
                {
                    return true;
                }
            }
            else if (progress[i] == 0 && call.Start <= bound)
            {
                var (next, answer) = call.Kind switch
                {
                    OpKind.Redeem => ReferenceModel.Redeem(state),
                    OpKind.Confirm => ReferenceModel.Confirm(state, call.AdviceId!),
                    _ => ReferenceModel.Reverse(state, call.AdviceId!),
                };
                var placed = call.Kind == OpKind.Redeem && answer is null ? (byte)1 : (byte)2;
                if ((answer is null || Fits(call, answer.Value)) && Try(calls, oracle, final, progress, i, placed, next, seen))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Try(IReadOnlyList<ObservedCall> calls, Oracle? oracle, ModelState final, byte[] progress, int i, byte to, ModelState next, HashSet<string> seen)
    {
        var was = progress[i];
        progress[i] = to;
        var found = Search(calls, oracle, final, progress, next, seen);
        progress[i] = was;
        return found;
    }

    private static bool Fits(ObservedCall call, Answer expected) => call.Answer is not { } got || got == expected;
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Histories;

/// <summary>A history the reference model does not explain, with everything needed to see why.</summary>
public sealed class HistoryViolationException(string message) : Exception(message);

/// <summary>
/// Plays a generated history against the <see cref="HistoryWorld"/> over HTTP, as tills would (an
/// op answered in doubt is resent until it gets an answer), waits until it has quiesced (every
/// outcome recorded, every advice answered by the provider, the view caught up, lookups settled),
/// then judges it with <see cref="HistoryChecker"/>. Keeps the counts the reliability report quotes.
/// </summary>
public sealed partial class HistoryRunner(HistoryWorld world)
{
    /// <summary>How long a till resends an op answered in doubt: longer than a switch restart.</summary>
    private static readonly TimeSpan ResendFor = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ResendPause = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan QuiesceFor = TimeSpan.FromSeconds(180);
    private static Stopwatch Clock => HistoryWorld.Clock;

    private int _histories;
    private int _calls;
    private int _inDoubt;

    /// <summary>Faults played by the provider for single messages, by kind.</summary>
    public ConcurrentDictionary<string, int> ProviderFaults { get; } = new();

    public int Histories => _histories;

    public int Calls => _calls;

    public int InDoubt => _inDoubt;

    public async Task RunAsync(HistorySpec spec)
    {
        var run = await PrepareAsync(spec);
        var started = Clock.Elapsed.Ticks;
        await Task.WhenAll(spec.Ops.Select((op, index) => PlayAsync(op, index, run)));
        var faultStruck = world.FaultStruckBetween(started, Clock.Elapsed.Ticks);
        await QuiesceAsync(run);
        var problems = new List<string>();
        var facts = new List<RedemptionFacts>();
        for (var r = 0; r < spec.Redemptions.Count; r++)
        {
            var fact = await FactsAsync(run, r);
            facts.Add(fact);
            problems.AddRange(HistoryChecker.Check(fact, faultStruck).Select(p => $"r{r}: {p}"));
        }

        var spentTwice = facts.GroupBy(f => run.Codes[facts.IndexOf(f)])
            .Where(g => g.Count(f => f.ProviderState is SimulatedRedemptionState.Redeemed or SimulatedRedemptionState.Confirmed) > 1);
        problems.AddRange(spentTwice.Select(_ => "one voucher redeemed twice at the provider"));
        Forget(run);
        Interlocked.Increment(ref _histories);
        if (problems.Count > 0)
        {
            throw new HistoryViolationException(Describe(problems, facts));
        }
    }

    /// <summary>Fresh ids and vouchers for this run of the spec, and the provider's behaviours for its messages.</summary>
    private async Task<Run> PrepareAsync(HistorySpec spec)
    {
        var requestIds = spec.Redemptions.Select(_ => Guid.NewGuid().ToString()).ToArray();
        var codes = new string[spec.Redemptions.Count];
        for (var r = 0; r < codes.Length; r++)
        {
            var voucher = spec.Redemptions[r].Voucher;
            codes[r] = voucher == VoucherKind.Shared && r > 0 ? codes[0] : await world.Simulator.ProvisionAsync(confirm: voucher != VoucherKind.Unconfirmed);
            if (RedeemBehaviour(spec.Redemptions[r].Fault, Upstream.Request(requestIds[r])) is { } behaviour)
            {
                world.Simulator.Control.Add(behaviour);
            }

            Count(spec.Redemptions[r].Fault.ToString(), spec.Redemptions[r].Fault != RedeemFault.None);
        }

        var adviceIds = new Dictionary<(int, OpKind, int), string>();
        foreach (var op in spec.Ops.Where(o => o.Kind is OpKind.Confirm or OpKind.Reverse))
        {
            if (adviceIds.TryAdd((op.Redemption, op.Kind, op.Advice), Guid.NewGuid().ToString()) &&
                AdviceBehaviour(op, Upstream.Advice(requestIds[op.Redemption], adviceIds[(op.Redemption, op.Kind, op.Advice)])) is { } behaviour)
            {
                world.Simulator.Control.Add(behaviour);
                Count(op.Fault.ToString(), true);
            }
        }

        return new Run(spec, requestIds, codes, adviceIds, new ConcurrentQueue<(int, int, ObservedCall)>(), new ConcurrentQueue<(int, int, string)>());
    }

    private static Behaviour? RedeemBehaviour(RedeemFault fault, string requestId) => fault switch
    {
        RedeemFault.Answers500 => new Behaviour(Operation.Redeem, BehaviourAction.Respond, Status: 500, MatchId: requestId),
        RedeemFault.Answers503 => new Behaviour(Operation.Redeem, BehaviourAction.Respond, Status: 503, MatchId: requestId),
        RedeemFault.TooSlow => new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: HistoryWorld.ProviderTimeoutMs * 3 / 2, MatchId: requestId),
        RedeemFault.DropsTheConnection => new Behaviour(Operation.Redeem, BehaviourAction.Drop, MatchId: requestId),
        RedeemFault.CutsTheAnswerShort => new Behaviour(Operation.Redeem, BehaviourAction.CutShort, MatchId: requestId),
        RedeemFault.TurnsAway => new Behaviour(Operation.Redeem, BehaviourAction.Respond, Status: 429, MatchId: requestId),
        _ => null,
    };

    private static Behaviour? AdviceBehaviour(OpSpec op, string adviceId)
    {
        var operation = op.Kind == OpKind.Confirm ? Operation.ConfirmRedemption : Operation.ReverseRedemption;
        return op.Fault switch
        {
            AdviceFault.Unavailable => new Behaviour(operation, BehaviourAction.Respond, Status: 503, Times: 2, MatchId: adviceId),
            AdviceFault.TooSlow => new Behaviour(operation, BehaviourAction.Delay, DelayMs: HistoryWorld.ProviderTimeoutMs * 3 / 2, Times: 1, MatchId: adviceId),
            AdviceFault.DropsTheConnection => new Behaviour(operation, BehaviourAction.Drop, Times: 1, MatchId: adviceId),
            _ => null,
        };
    }

    private async Task PlayAsync(OpSpec op, int index, Run run)
    {
        await Task.Delay(op.DelayMs);
        var requestId = op.UpperCaseRequestId ? run.RequestIds[op.Redemption].ToUpperInvariant() : run.RequestIds[op.Redemption];
        if (op.Kind == OpKind.Lookup)
        {
            var (status, body) = await GetAsync($"/suv/v1/redemptions/{requestId}");
            run.Lookups.Enqueue((op.Redemption, status ?? 0, body ?? ""));
            return;
        }

        var adviceId = op.Kind == OpKind.Redeem ? null : run.AdviceIds[(op.Redemption, op.Kind, op.Advice)];
        var spec = run.Spec.Redemptions[op.Redemption];
        object message = op.Kind switch
        {
            OpKind.Redeem => Messages.Redemption(run.Codes[op.Redemption], requestId,
                receiverId: spec.Fault == RedeemFault.Unreachable ? HistoryWorld.UnreachableProvider : null),
            OpKind.Confirm => Messages.Confirmation(requestId, adviceId),
            _ => Messages.Reversal(requestId, adviceId),
        };
        var path = op.Kind switch
        {
            OpKind.Redeem => "/suv/v1/redemptions",
            OpKind.Confirm => "/suv/v1/redemptions/confirmations",
            _ => "/suv/v1/redemptions/reversals",
        };
        var until = Clock.Elapsed + ResendFor;
        while (true)
        {
            var started = Clock.Elapsed.Ticks;
            var (status, body) = await PostAsync(path, message);
            var answer = status is { } s ? new Answer(s, s >= 400 ? ErrorTypeOf(body) : null) : (Answer?)null;
            var inDoubt = answer is null || answer == new Answer(503, ErrorTypes.GeneralError);
            run.Calls.Enqueue((op.Redemption, index, new ObservedCall(op.Kind, adviceId, started, Clock.Elapsed.Ticks, inDoubt ? null : answer, body)));
            Interlocked.Increment(ref _calls);
            if (!inDoubt || Clock.Elapsed > until)
            {
                return;
            }

            Interlocked.Increment(ref _inDoubt);
            await Task.Delay(ResendPause);
        }
    }

    /// <summary>Waits until nothing about the history can still change, then until its lookups have settled.</summary>
    private async Task QuiesceAsync(Run run)
    {
        var until = Clock.Elapsed + QuiesceFor;
        for (var r = 0; r < run.RequestIds.Length; r++)
        {
            var requestId = run.RequestIds[r];
            await Until(async () =>
            {
                var events = await world.Ledger.EventsAsync(requestId);
                var awaiting = events.OfType<RedemptionRequested>().Any() && HistoryChecker.OracleOf(events) is null;
                var pending = (await world.Ledger.DeliveriesOfAsync(requestId)).Any(d => d.Status == DeliveryStatus.Pending);
                var view = events.Count == 0 ? null : await world.Ledger.ViewAsync(requestId);
                return !awaiting && !pending && (events.Count == 0 || view?.LastVersion == await world.Ledger.VersionAsync(requestId));
            }, until, $"r{r} ({requestId}) to quiesce");
        }
    }

    /// <summary>The lookup once settled: neither "still processing" nor unanswered nor "ledger unavailable".</summary>
    private async Task<(int Status, string Body)> SettledLookupAsync(string requestId)
    {
        (int? Status, string? Body) lookup = (null, null);
        await Until(async () =>
        {
            lookup = await GetAsync($"/suv/v1/redemptions/{requestId}");
            return lookup.Status is not (202 or null) && !(lookup.Body ?? "").Contains(ErrorTypes.GeneralError, StringComparison.Ordinal);
        }, Clock.Elapsed + QuiesceFor, $"{requestId} to settle for lookups");
        return (lookup.Status!.Value, lookup.Body ?? "");
    }

    private async Task<RedemptionFacts> FactsAsync(Run run, int r)
    {
        var requestId = run.RequestIds[r];
        var finalLookup = await SettledLookupAsync(requestId);
        return new RedemptionFacts(
            requestId,
            run.Spec.Redemptions[r],
            run.Codes.Count(c => c == run.Codes[r]) > 1,
            Collapse(run.Calls.Where(c => c.Redemption == r)),
            [.. run.Lookups.Where(l => l.Redemption == r).Select(l => (l.Status, l.Body))],
            finalLookup,
            await Patiently(() => world.Ledger.EventsAsync(requestId)),
            world.Simulator.Book.Redemption(Upstream.Request(requestId))?.State,
            world.Simulator.Book.WasReversedBeforeRequest(Upstream.Request(requestId)));
    }

    /// <summary>
    /// The resends of one op that were all answered in doubt become one in-doubt call spanning them:
    /// they carry the same message, so if any took effect, the effect is the same, somewhere in that
    /// span. (Kept apart, a switch restart's dozens of resends would make the model's search explode.)
    /// </summary>
    private static List<ObservedCall> Collapse(IEnumerable<(int Redemption, int Op, ObservedCall Call)> calls)
    {
        var collapsed = new List<ObservedCall>();
        foreach (var op in calls.GroupBy(c => c.Op))
        {
            ObservedCall? doubt = null;
            foreach (var call in op.Select(c => c.Call).OrderBy(c => c.Start))
            {
                if (call.Answer is null)
                {
                    doubt = doubt is null ? call : doubt with { End = call.End };
                    continue;
                }

                if (doubt is not null)
                {
                    collapsed.Add(doubt);
                    doubt = null;
                }

                collapsed.Add(call);
            }

            if (doubt is not null)
            {
                collapsed.Add(doubt);
            }
        }

        return collapsed;
    }

    private void Forget(Run run)
    {
        foreach (var id in run.RequestIds.Select(id => Upstream.Request(id)).Concat(run.AdviceIds.Select(a => Upstream.Advice(run.RequestIds[a.Key.Item1], a.Value))))
        {
            world.Simulator.Control.Forget(id);
        }
    }

    private void Count(string kind, bool really)
    {
        if (really)
        {
            ProviderFaults.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
    }

    private static string Describe(List<string> problems, List<RedemptionFacts> facts)
    {
        var text = new StringBuilder().AppendJoin("\n", problems).AppendLine();
        for (var r = 0; r < facts.Count; r++)
        {
            var f = facts[r];
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"r{r} {f.RequestId}: calls {string.Join("; ", f.Calls)}")
                .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  ledger: {string.Join(", ", f.Events.Select(e => e.GetType().Name))}")
                .AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  provider: {f.ProviderState?.ToString() ?? "never redeemed"}{(f.ProviderSawReversalFirst ? ", reversal first" : "")}; lookup {f.FinalLookup.Status}");
        }

        return text.ToString();
    }

    private sealed record Run(
        HistorySpec Spec, string[] RequestIds, string[] Codes, Dictionary<(int, OpKind, int), string> AdviceIds,
        ConcurrentQueue<(int Redemption, int Op, ObservedCall Call)> Calls, ConcurrentQueue<(int Redemption, int Status, string Body)> Lookups);
}

using System.Threading.Channels;
using EventLedger.Hosting;

namespace EventLedger.Redemptions;

/// <summary>
/// The originator was told the outcome is unknown (504) while the database was away, but an
/// attempt whose commit was in doubt had recorded the provider's answer. From here the ledger says
/// what the originator was told: the outcome counts as unknown and lookups replay the 504.
/// </summary>
public sealed record RedemptionAnsweredUnknown(string Reason, string ErrorJson, DateTimeOffset At);

/// <summary>
/// Makes the ledger agree with a 504 given because the provider's answer could not be recorded
/// within <see cref="RedemptionOptions.OutcomeRecordingMs"/>: as soon as the database is back, a
/// redemption still awaiting its provider is recorded unknown, and one whose answer had been recorded
/// after all (a commit in doubt) is marked answered unknown; either way the switch then reverses what
/// may have been redeemed, as the 504 promised. Owed work lives in memory: should the switch also
/// die before the database returns, in-flight recovery still settles the first case, and the second
/// stays as recorded (docs/reliability.md lists it).
/// </summary>
public sealed class UnknownAnswers(RedemptionLedger ledger, LedgerAvailability availability, TimeProvider time, ILogger<UnknownAnswers> logger)
    : BackgroundService
{
    private readonly Channel<(string StreamKey, Redeem.OutcomePolicy Policy, UpstreamOutcome.Unknown Answer)> _owed =
        Channel.CreateUnbounded<(string, Redeem.OutcomePolicy, UpstreamOutcome.Unknown)>();

    public void Owe(string streamKey, Redeem.OutcomePolicy policy, UpstreamOutcome.Unknown answer) =>
        _owed.Writer.TryWrite((streamKey, policy, answer));

    /// <summary>What the ledger needs so that it says "unknown", as the originator was told.</summary>
    public static IReadOnlyList<object> Decide(Redemption state, Redeem.OutcomePolicy policy, UpstreamOutcome.Unknown answer, string switchReversalId, DateTimeOffset now) =>
        state.Outcome switch
        {
            RedemptionOutcome.AwaitingProvider => Redeem.DecideOutcome(state, answer, policy, switchReversalId, now).Events,
            RedemptionOutcome.Approved or RedemptionOutcome.Declined or RedemptionOutcome.NotSent =>
            [
                new RedemptionAnsweredUnknown(answer.Reason, answer.Answer.Json, now),
                .. state.Outcome == RedemptionOutcome.Approved ? Redeem.SwitchReversal(state, policy, switchReversalId, now) : [],
            ],
            _ => [],
        };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (key, policy, answer) in _owed.Reader.ReadAllAsync(stoppingToken))
        {
            var reversalId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
            await BackgroundLoop.UntilDoneAsync("Recording an unknown answer", async ct =>
            {
                await availability.WaitUntilAvailableAsync(ct);
                await ledger.DecideAsync(key, state => new Decision<bool>(Decide(state!, policy, answer, reversalId, time.GetUtcNow()), true), ct);
            }, logger, time, stoppingToken);
        }
    }
}

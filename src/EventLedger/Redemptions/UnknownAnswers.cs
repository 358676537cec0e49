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
/// within <see cref="RedemptionOptions.OutcomeRecordingMs"/>. The correction is owed to the stream
/// at once (<see cref="RedemptionLedger.Owe"/>), so every later decision on it — an advice, recovery
/// — is made on the corrected state; it is written with the first of them, or by this service as
/// soon as the database is back: a redemption still awaiting its provider is recorded unknown, and
/// one whose answer had been recorded after all (a commit in doubt) is marked answered unknown; the
/// switch then reverses what may have been redeemed, as the 504 promised. Owed corrections live in
/// memory: should the switch also die before the database returns, in-flight recovery still settles
/// the first case, and the second stays as recorded (docs/reliability.md lists it).
/// </summary>
public sealed class UnknownAnswers(RedemptionLedger ledger, LedgerAvailability availability, TimeProvider time, ILogger<UnknownAnswers> logger)
    : BackgroundService
{
    public void Owe(string streamKey, Redeem.OutcomePolicy policy, UpstreamOutcome.Unknown answer)
    {
        var reversalId = Guid.CreateVersion7(time.GetUtcNow()).ToString();
        ledger.Owe(streamKey, (state, now) => Decide(Redemption.AfterRequest(state), policy, answer, reversalId, now));
    }

    /// <summary>What the ledger needs so that it says "unknown", as the originator was told.</summary>
    public static IReadOnlyList<object> Decide(Redemption.Requested state, Redeem.OutcomePolicy policy, UpstreamOutcome.Unknown answer, string switchReversalId, DateTimeOffset now) =>
        state.Outcome switch
        {
            RedemptionOutcome.AwaitingProvider => Redeem.DecideOutcome(state, answer, policy, switchReversalId, now).Events,
            RedemptionOutcome.Approved =>
                [new RedemptionAnsweredUnknown(answer.Reason, answer.Answer.Json, now), .. Redeem.SwitchReversal(state, policy, switchReversalId, now)],
            // Nothing was redeemed, so the switch's reversal needs no delivery; it still resolves the
            // redemption, so that a confirmation is refused as the table says after a 504.
            RedemptionOutcome.Declined or RedemptionOutcome.NotSent =>
            [
                new RedemptionAnsweredUnknown(answer.Reason, answer.Answer.Json, now),
                .. Redeem.SwitchReversal(state, policy, switchReversalId, now, AdviceDelivery.NotNeeded),
            ],
            // Recovery got there first: the ledger already says unknown.
            RedemptionOutcome.Unknown => [],
            RedemptionOutcome.NoRequest => throw Redemption.NotAnOutcome(),
        };

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        BackgroundLoop.RunAsync("Recording unknown answers", LedgerAvailability.DownProbePeriod, async ct =>
        {
            if (ledger.Owed.Count == 0)
            {
                return;
            }

            await availability.WaitUntilAvailableAsync(ct);
            foreach (var key in ledger.Owed)
            {
                // Each on its own: one that fails must not hold back the others.
                try
                {
                    await ledger.DecideAsync(key, _ => Decision.Only(true), ct);
                }
                catch (Exception ex) when (!Faults.IsDatabaseUnavailable(ex) && !ct.IsCancellationRequested)
                {
                    logger.LogWarning("Unknown answer for {Stream} not recorded yet: {Reason}", key, Faults.Describe(ex));
                }
            }
        }, logger, time, stoppingToken);
}

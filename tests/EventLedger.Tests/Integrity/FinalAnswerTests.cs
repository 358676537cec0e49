using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Npgsql;

namespace EventLedger.Tests.Integrity;

/// <summary>Every redemption reaches an answer an originator can act on, and every answer says what is true.</summary>
[Collection(SwitchTests.Name)]
public sealed class FinalAnswerTests(SwitchFixture fixture) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly HttpClient _client = fixture.Client();

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
    }

    [Fact]
    public async Task An_outcome_that_cannot_be_recorded_after_the_provider_was_called_is_answered_unknown_and_made_so_in_the_ledger()
    {
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync());
        var key = Redemption.StreamKey(SwitchFixture.ClientId, request.Id!);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: 3_000, MatchId: Upstream.Request(request.Id!)));

        var pending = _client.RedeemAsync(request);
        await fixture.Ledger.EventuallyAsync<RedemptionRequested>(request.Id!);
        SuvAnswer answer;
        // Another node holding the redemption longer than the lock timeout, while the provider answers.
        await using (var holder = new NpgsqlConnection(fixture.ConnectionString))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var take = new NpgsqlCommand("select pg_advisory_xact_lock(@class, hashtext(@key))", holder, hold))
            {
                take.Parameters.AddWithValue("class", RedemptionLedger.LockClass);
                take.Parameters.AddWithValue("key", key);
                await take.ExecuteNonQueryAsync();
            }

            answer = await pending;
        }

        answer.Status.Should().Be(504, "the provider was called: \"nothing was recorded\" would be untrue");
        answer.Error.ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
        answer.Body.Should().NotContainEquivalentOf("nothing was recorded");
        var reversal = await fixture.Ledger.EventuallyAsync<RedemptionReversed>(request.Id!, r => r.Origin == ReversalOrigin.Switch, (int)Patience.TotalSeconds);
        (await fixture.Ledger.EventsAsync(request.Id!)).Should().ContainSingle(e => e is RedemptionOutcomeUnknown || e is RedemptionAnsweredUnknown,
            "the ledger says what the originator was told");
        await Eventually.ReturnsAsync(() => fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!))?.State,
            s => s == SimulatedRedemptionState.Reversed, Patience, $"the switch's reversal {reversal.AdviceId} to undo what the provider redeemed");
    }

    [Fact]
    public async Task An_unknown_outcome_whose_switch_reversal_the_provider_refused_settles_for_lookups_with_the_answer_given()
    {
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync());
        var upstream = Upstream.Request(request.Id!);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Respond, Status: 500, MatchId: upstream));
        fixture.SimulatorControl.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Respond, Status: 400, MatchId: upstream));

        var answer = await _client.RedeemAsync(request);
        var refused = await fixture.Ledger.EventuallyAsync<ProviderAdviceRefused>(request.Id!, timeoutSeconds: (int)Patience.TotalSeconds);
        Func<Task<(int Status, string Body)>> lookup = async () =>
        {
            using var response = await _client.GetAsync($"/suv/v1/redemptions/{request.Id}");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        };
        var settled = await Eventually.ReturnsAsync(lookup, l => l.Status != 202, Patience, "the lookup to stop answering \"still processing\"");

        answer.Status.Should().Be(504);
        refused.Kind.Should().Be(AdviceKind.Reversal);
        settled.Should().Be((504, answer.Body), "the originator is told what it was told then, which stays true: no final answer from the provider");
    }
}

using System.Security.Cryptography;
using EventLedger.Hosting;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Marten;
using Npgsql;

namespace EventLedger.Tests.StoreAndForward;

/// <summary>
/// Proof by failure: the built switch runs as a child process on real PostgreSQL, the simulator
/// stands for the provider on a fixed port, and the tests kill the one and stop the other.
/// </summary>
public sealed class FailureTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Dictionary<string, string> _settings = null!;
    private TestProvider _simulator = null!;
    private LedgerProbe _ledger = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("failure");
        _simulator = await TestProvider.StartAsync();
        _settings = SwitchFixture.BaseSettings(connectionString, applySchema: true);
        _simulator.Configure(_settings, 0);
        _ledger = new LedgerProbe(connectionString);
    }

    public void Dispose() => _ledger.Dispose();

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Killed_after_answering_202_before_forwarding_the_advice_is_delivered_after_restart()
    {
        RedemptionRequest request;
        BasicAdvice confirmation;
        await using (var doomed = await SwitchProcess.StartAsync(_settings, FailPoints.BeforeForward))
        {
            using var client = Originator(doomed);
            request = await _simulator.RedeemedThroughAsync(client);
            confirmation = Messages.Confirmation(request.Id!);
            (await client.ConfirmAsync(confirmation)).Status.Should().Be(202);
            await doomed.WaitForFailPointAsync(Patience);
            await doomed.KillAsync();
        }

        _simulator.Control.Received().Should().NotContain(m => m.Id == Upstream.Advice(confirmation), "nothing was sent before the kill");
        await using var restarted = await SwitchProcess.StartAsync(_settings);

        await _ledger.AckedOnceAsync(request.Id!, confirmation.Id!, Patience);
        _simulator.Received(Operation.ConfirmRedemption, confirmation).Should().Be(1);
    }

    [Fact]
    public async Task Killed_while_the_provider_call_is_in_flight_the_advice_is_delivered_after_restart()
    {
        RedemptionRequest request;
        BasicAdvice confirmation;
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Delay, DelayMs: 1_500, Times: 1));
        await using (var doomed = await SwitchProcess.StartAsync(_settings))
        {
            using var client = Originator(doomed);
            request = await _simulator.RedeemedThroughAsync(client);
            confirmation = Messages.Confirmation(request.Id!);
            (await client.ConfirmAsync(confirmation)).Status.Should().Be(202);
            await Eventually.ReturnsAsync(() => _simulator.Received(Operation.ConfirmRedemption, confirmation), n => n == 1, Patience, "the call to be in flight");
            await doomed.KillAsync();
        }

        await using var restarted = await SwitchProcess.StartAsync(_settings);

        await _ledger.AckedOnceAsync(request.Id!, confirmation.Id!, Patience);
        // The provider sees the advice twice, with the same id, and answers both alike.
        _simulator.Received(Operation.ConfirmRedemption, confirmation).Should().Be(2);
        _simulator.Book.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Confirmed);
    }

    [Fact]
    public async Task Killed_after_the_provider_answered_before_the_ack_committed_the_ack_is_recorded_once_after_restart()
    {
        RedemptionRequest request;
        BasicReversal reversal;
        await using (var doomed = await SwitchProcess.StartAsync(_settings, FailPoints.AfterProviderAnswer))
        {
            using var client = Originator(doomed);
            request = await _simulator.RedeemedThroughAsync(client);
            reversal = Messages.Reversal(request.Id!);
            (await client.ReverseAsync(reversal)).Status.Should().Be(202);
            await doomed.WaitForFailPointAsync(Patience);
            await doomed.KillAsync();
        }

        (await EventsAsync(request.Id!)).OfType<ProviderAdviceAcked>().Should().BeEmpty("the answer never reached the ledger");
        await using var restarted = await SwitchProcess.StartAsync(_settings);

        await _ledger.AckedOnceAsync(request.Id!, reversal.Id!, Patience);
        _simulator.Received(Operation.ReverseRedemption, reversal).Should().Be(2);
        _simulator.Book.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Reversed);
    }

    [Fact]
    public async Task Killed_while_a_redemption_is_in_flight_recovery_calls_it_unknown_and_the_switch_reverses_it()
    {
        var request = Messages.Redemption(await _simulator.ProvisionAsync());
        _simulator.Control.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: 1_000, Times: 1));
        await using (var doomed = await SwitchProcess.StartAsync(_settings))
        {
            using var client = Originator(doomed);
            var pending = client.RedeemAsync(request);
            await Eventually.ReturnsAsync(() => _simulator.Received(Operation.Redeem, request.Id!), n => n == 1, Patience, "the redemption to be in flight");
            await doomed.KillAsync();
            await FluentActions.Awaiting(() => pending).Should().ThrowAsync<HttpRequestException>();
        }

        await using var restarted = await SwitchProcess.StartAsync(_settings);

        var events = await Eventually.ReturnsAsync(() => EventsAsync(request.Id!), e => e.OfType<ProviderAdviceAcked>().Any(), Patience,
            "the recovered redemption's reversal to be acknowledged");
        events.Select(e => e.GetType()).Take(3).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
        events.OfType<RedemptionReversed>().Single().Origin.Should().Be(ReversalOrigin.Switch);
        _simulator.Book.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Reversed, "the provider redeemed it, then reversed it");
    }

    [Fact]
    public async Task Killed_with_advices_queued_behind_a_slow_provider_they_are_delivered_at_restart_not_after_the_overdue_period()
    {
        const int advices = 6;
        // One advice at a time and the first held 3 s: the rest wait in the queue when the switch dies.
        // The overdue sweep is pushed out of reach, so only the start-up catch-up can deliver them
        // soon (the one in flight once its claim runs out).
        var settings = new Dictionary<string, string>(_settings)
        {
            ["StoreAndForward:MaxParallelPerProvider"] = "1",
            ["StoreAndForward:OverdueAfterMs"] = "600000",
        };
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Delay, DelayMs: 3_000, Times: 1));
        var confirmed = new List<(string RequestId, string AdviceId)>();
        await using (var doomed = await SwitchProcess.StartAsync(settings))
        {
            using var client = Originator(doomed);
            for (var i = 0; i < advices; i++)
            {
                var request = await _simulator.RedeemedThroughAsync(client);
                var confirmation = Messages.Confirmation(request.Id!);
                (await client.ConfirmAsync(confirmation)).Status.Should().Be(202);
                confirmed.Add((request.Id!, confirmation.Id!));
            }

            await Eventually.ReturnsAsync(() => _simulator.Control.Received().Count(m => m.Operation == Operation.ConfirmRedemption),
                n => n >= 1, Patience, "the first advice to be in flight");
            await doomed.KillAsync();
        }

        await using var restarted = await SwitchProcess.StartAsync(settings);

        foreach (var (requestId, adviceId) in confirmed)
        {
            await _ledger.AckedOnceAsync(requestId, adviceId, Patience);
        }
    }

    [Fact]
    public async Task A_provider_down_then_failing_then_slow_gets_every_advice_once_it_recovers()
    {
        const int advices = 12;
        await using var running = await SwitchProcess.StartAsync(_settings);
        using var client = Originator(running);
        var requests = new List<RedemptionRequest>();
        for (var i = 0; i < advices; i++)
        {
            requests.Add(await _simulator.RedeemedThroughAsync(client));
        }

        await _simulator.StopAsync(); // connection refused

        var sent = new List<BasicAdvice>();
        foreach (var request in requests)
        {
            BasicAdvice advice = requests.IndexOf(request) % 2 == 0 ? Messages.Confirmation(request.Id!) : Messages.Reversal(request.Id!);
            var answer = advice is BasicReversal r ? await client.ReverseAsync(r) : await client.ConfirmAsync(advice);
            answer.Status.Should().Be(202);
            sent.Add(advice);
        }

        await Eventually.ReturnsAsync(() => MinAttemptsAsync(), n => n >= 2, Patience, "every advice to fail against the refused port");
        await _simulator.StartAgainAsync();
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503, Times: 6));
        _simulator.Control.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Respond, Status: 503, Times: 6));
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Delay, DelayMs: 2_500, Times: 3));
        _simulator.Control.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Delay, DelayMs: 2_500, Times: 3));

        foreach (var (request, advice) in requests.Zip(sent))
        {
            await _ledger.AckedOnceAsync(request.Id!, advice.Id!, Patience);
        }

        var received = _simulator.Control.Received();
        sent.Should().AllSatisfy(a => received.Should().Contain(m => m.Id == Upstream.Advice(a), "no advice is lost"));
    }

    private static HttpClient Originator(SwitchProcess process) => process.Client(SwitchFixture.ClientId, SwitchFixture.ClientPassword);

    private Task<IReadOnlyList<object>> EventsAsync(string requestId) => _ledger.EventsAsync(requestId);

    private async Task<int> MinAttemptsAsync()
    {
        var pending = await _ledger.DeliveriesAsync(DeliveryStatus.Pending);
        return pending.Count == 0 ? 0 : pending.Min(d => d.Attempts);
    }
}

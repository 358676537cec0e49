using System.Diagnostics;
using System.Net.Http.Json;
using EventLedger.Operations;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EventLedger.Tests.Faults;

/// <summary>
/// Two switch processes on one PostgreSQL (<c>Switch:Clustered=true</c>), requests sent to both:
/// projections run in one node, every advice is acknowledged once, and when one node is killed
/// (SIGKILL) the other takes over its queued advices and its redemption in flight.
/// </summary>
public sealed class TwoNodeTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    /// <summary>Node heartbeat and staleness for the test; production defaults are 2 s and 15 s.</summary>
    private const int HeartbeatMs = 500;
    private const int StaleAfterMs = 3_000;

    /// <summary>
    /// How soon the survivor has every advice of the dead node acknowledged: staleness, a sweep,
    /// the dead node's claim on the advice it had in flight (provider timeout + 5 s), and delivery.
    /// </summary>
    private static readonly TimeSpan TakeOverBound = TimeSpan.FromMilliseconds(StaleAfterMs + 500 + 2_000 + 5_000 + 5_000);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private TestProvider _simulator = null!;
    private LedgerProbe _ledger = null!;
    private Dictionary<string, string> _settings = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("nodes");
        _simulator = await TestProvider.StartAsync();
        _settings = SwitchFixture.BaseSettings(connectionString, applySchema: true);
        _simulator.Configure(_settings, 0);
        _settings["Switch:Clustered"] = "true";
        _settings["Switch:NodeHeartbeatMs"] = HeartbeatMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _settings["Switch:NodeStaleAfterMs"] = StaleAfterMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // One advice at a time, and the overdue sweep out of reach: only the take-over can help.
        _settings["StoreAndForward:MaxParallelPerProvider"] = "1";
        _settings["StoreAndForward:OverdueAfterMs"] = "600000";
        _ledger = new LedgerProbe(connectionString);
    }

    public async Task DisposeAsync() => await _simulator.DisposeAsync();

    public void Dispose() => _ledger.Dispose();

    [Fact]
    public async Task Two_nodes_share_the_work_and_the_survivor_takes_over_a_killed_nodes_advices_and_redemption_in_flight()
    {
        // Node a starts first, so it takes the projections, and is the one killed.
        await using var a = await SwitchProcess.StartAsync(_settings);
        await using var b = await SwitchProcess.StartAsync(_settings);
        using var toA = Originator(a);
        using var toB = Originator(b);

        var nodes = await Eventually.ReturnsAsync(() => NodesAsync(b), n => n.Count(x => x.Alive) == 2 && n.Count(x => x.ProjectionShards > 0) == 1,
            Patience, "two live nodes, one of them running the projections");
        output.WriteLine("nodes: " + string.Join(", ", nodes.Select(n => $"{n.Id} shards {n.ProjectionShards}")));

        // Both nodes serve, and each sees what the other recorded.
        var requests = new List<RedemptionRequest>();
        for (var i = 0; i < 6; i++)
        {
            requests.Add(await _simulator.RedeemedThroughAsync(i % 2 == 0 ? toA : toB));
        }

        (await toB.RedeemAsync(requests[0])).Error.ErrorType.Should().Be(ErrorTypes.DuplicateRecord);

        // Every confirmation goes to node a, whose one queue slot the provider holds for 3 s.
        _simulator.Control.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Delay, DelayMs: 3_000, Times: 1));
        var confirmations = requests.Select(r => Messages.Confirmation(r.Id!)).ToList();
        foreach (var confirmation in confirmations)
        {
            (await toA.ConfirmAsync(confirmation)).Status.Should().Be(202);
        }

        // And a redemption in flight on node a when it dies.
        var inFlight = Messages.Redemption(await _simulator.ProvisionAsync());
        // Long enough to still be in flight when the kill lands on a loaded machine (1 s was not, once).
        _simulator.Control.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: 3_000, MatchId: Upstream.Request(inFlight.Id!), Times: 1));
        var pending = toA.RedeemAsync(inFlight);
        await Eventually.ReturnsAsync(() => _simulator.Control.Received().Count(m => m.Id == Upstream.Request(inFlight.Id!)), n => n == 1, Patience, "the redemption in flight");
        await Eventually.ReturnsAsync(() => _simulator.Control.Received().Count(m => m.Operation == Operation.ConfirmRedemption), n => n >= 1,
            Patience, "the first confirmation in flight");

        await a.KillAsync();
        var killed = Stopwatch.StartNew();
        await FluentActions.Awaiting(() => pending).Should().ThrowAsync<HttpRequestException>();

        foreach (var (request, confirmation) in requests.Zip(confirmations))
        {
            await _ledger.AckedOnceAsync(request.Id!, confirmation.Id!, Patience);
            _simulator.Received(Operation.ConfirmRedemption, confirmation).Should().BeGreaterThanOrEqualTo(1);
            _simulator.Book.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Confirmed);
        }

        var tookOver = killed.Elapsed;
        output.WriteLine($"every advice of the killed node acknowledged {tookOver.TotalSeconds:0.0} s after the kill");
        tookOver.Should().BeLessThan(TakeOverBound);
        var recovered = await Eventually.ReturnsAsync(() => _ledger.EventsAsync(inFlight.Id!),
            e => e.OfType<ProviderAdviceAcked>().Any(), Patience, "the redemption in flight recovered and reversed");
        recovered.Select(e => e.GetType()).Take(3).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
        // Either the provider redeemed it and then took the reversal, or the reversal overtook the
        // slow redemption and the provider refused it (VoucherBook): never left redeemed.
        var atProvider = _simulator.Book.Redemption(Upstream.Request(inFlight.Id!));
        if (atProvider is null)
        {
            _simulator.Book.WasReversedBeforeRequest(Upstream.Request(inFlight.Id!)).Should().BeTrue();
        }
        else
        {
            atProvider.State.Should().Be(SimulatedRedemptionState.Reversed);
        }

        // The survivor runs the projections now: a new redemption settles for lookups.
        var late = await _simulator.RedeemedThroughAsync(toB);
        await Eventually.ReturnsAsync(() => NodesAsync(b), n => n.Count(x => x.Alive) == 1 && n.Single(x => x.Alive).ProjectionShards > 0,
            Patience, "the survivor running the projections");
        var lookup = await Eventually.ReturnsAsync(async () => (int)(await toB.GetAsync($"/suv/v1/redemptions/{late.Id}")).StatusCode,
            s => s == 200, Patience, "the late redemption to settle");
        lookup.Should().Be(200);
        (await _ledger.DeliveriesAsync(DeliveryStatus.Pending)).Should().BeEmpty();
        b.StackTraceLines.Should().BeEmpty(b.Output);
    }

    private static HttpClient Originator(SwitchProcess process) => process.Client(SwitchFixture.ClientId, SwitchFixture.ClientPassword);

    private static async Task<IReadOnlyList<NodeView>> NodesAsync(SwitchProcess process)
    {
        using var ops = process.Client(SwitchFixture.OperatorId, SwitchFixture.OperatorPassword);
        return (await ops.GetFromJsonAsync<List<NodeView>>("/ops/v1/nodes", AdviceOperations.Json))!;
    }
}

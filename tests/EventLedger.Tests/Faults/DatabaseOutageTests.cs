using System.Net;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EventLedger.Tests.Faults;

/// <summary>
/// PostgreSQL stopped (fast or immediate shutdown) under a switch serving tills, then started
/// again: the switch process never exits, answers 503 while the database is away, serves again by
/// itself, and every request it answered 2xx is in the ledger, every advice it accepted reaches the
/// provider, and the projection catches up. The switch runs as a child process on a PostgreSQL of
/// the test's own, with the simulator as provider.
/// </summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    /// <summary>Longest a request may take while the database is away (docs/reliability.md).</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const int Tills = 4;

    private LocalPostgres.LocalPostgres _postgres = null!;
    private TestProvider _simulator = null!;
    private LedgerProbe _ledger = null!;
    private Dictionary<string, string> _settings = null!;

    public async Task InitializeAsync()
    {
        (_postgres, var connectionString) = await TestPostgres.PrivateClusterAsync("outage");
        _simulator = await TestProvider.StartAsync();
        _settings = SwitchFixture.BaseSettings(connectionString, applySchema: true);
        _simulator.Configure(_settings, 0);
        _ledger = new LedgerProbe(connectionString);
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _postgres.StopAsync();
    }

    public void Dispose() => _ledger.Dispose();

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 30)]
    public Task The_switch_stays_up_answers_503_while_the_database_is_away_and_loses_nothing(bool immediate, int seconds) =>
        OutageAsync(immediate, TimeSpan.FromSeconds(seconds));

    [LongTheory]
    [InlineData(false, 30)]
    [InlineData(false, 300)]
    [InlineData(true, 300)]
    public Task Long_outages_the_switch_stays_up_and_loses_nothing(bool immediate, int seconds) =>
        OutageAsync(immediate, TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task A_switch_started_while_the_database_is_down_waits_says_so_once_and_serves_once_it_is_up()
    {
        await _postgres.ShutDownAsync(immediate: false);
        await using var running = await SwitchProcess.StartAsync(_settings, waitUntilReady: false);

        await Eventually.ReturnsAsync(() => running.Output, o => o.Contains("Waiting for the ledger database", StringComparison.Ordinal),
            Patience, "the switch to say it waits for its database");
        // The outage itself: the database stays away a few probe periods more.
        await Task.Delay(TimeSpan.FromSeconds(3));
        running.HasExited.Should().BeFalse();
        await _postgres.StartAgainAsync();
        await running.WaitUntilReadyAsync();

        using var client = running.Client(SwitchFixture.ClientId, SwitchFixture.ClientPassword);
        (await client.RedeemAsync(Messages.Redemption(await _simulator.ProvisionAsync()))).Status.Should().Be(201);
        CountOf(running.Output, "Waiting for the ledger database").Should().Be(1, running.Output);
        running.StackTraceLines.Should().BeEmpty(running.Output);
    }

    private async Task OutageAsync(bool immediate, TimeSpan outage)
    {
        await using var running = await SwitchProcess.StartAsync(_settings);
        using var health = new HttpClient { BaseAddress = new Uri(running.Url), Timeout = AnswerBound };
        var load = new TillLoad(Tills, () => running.Client(SwitchFixture.ClientId, SwitchFixture.ClientPassword), () => _simulator.ProvisionAsync());
        var started = DateTimeOffset.UtcNow;
        await Eventually.ReturnsAsync(() => load.ApprovedSince(started), n => n >= 5, Patience, "tills to be served");

        var down = DateTimeOffset.UtcNow;
        await _postgres.ShutDownAsync(immediate);
        await Eventually.ReturnsAsync(() => StatusAsync(health, "/health/ready"), s => s == 503, Patience, "readiness to report the database away");
        while (DateTimeOffset.UtcNow - down < outage)
        {
            (await StatusAsync(health, "/health/live")).Should().Be(200, "liveness stays up while the database is away");
            running.HasExited.Should().BeFalse();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        await _postgres.StartAgainAsync();
        var up = DateTimeOffset.UtcNow;
        await Eventually.ReturnsAsync(() => load.ApprovedSince(up), n => n > 0, Patience, "tills to be served again");
        var servedAgain = load.Calls.Where(c => c.Operation == "redeem" && c.Status == 201 && c.At >= up).Min(c => c.At + c.Took) - up;
        await load.DisposeAsync();

        var calls = load.Calls;
        // Every call that overlapped the outage: started during it, or started before and still waiting when it began.
        var duringOutage = calls.Where(c => c.At < up && c.At + c.Took >= down).ToList();
        output.WriteLine($"{(immediate ? "immediate" : "fast")} shutdown for {outage.TotalSeconds:0} s: {calls.Count} calls, " +
            $"{duringOutage.Count} during the outage (slowest {duringOutage.Select(c => c.Took).DefaultIfEmpty().Max().TotalMilliseconds:0} ms), " +
            $"served again {servedAgain.TotalSeconds:0.0} s after the database returned");
        running.HasExited.Should().BeFalse(running.Output);
        calls.Where(c => c.Status is 0 or 500).Should().BeEmpty("every call gets an answer, never a 500; switch output:\n" + running.Output);
        duringOutage.Should().OnlyContain(c => c.Took <= AnswerBound, "no request hangs while the database is away");
        // A request met by a short outage may wait it out (the switch retries its writes for a while); none gets another 5xx.
        duringOutage.Should().NotContain(c => c.Status >= 500 && c.Status != 503 && c.Status != 504);
        await EverythingAnsweredIsInTheLedgerAsync(calls);
        running.StackTraceLines.Should().BeEmpty(running.Output);
    }

    /// <summary>Every 2xx answer stands in the ledger; every accepted advice reaches the provider; the view catches up.</summary>
    private async Task EverythingAnsweredIsInTheLedgerAsync(IReadOnlyList<TillCall> calls)
    {
        foreach (var redeemed in calls.Where(c => c.Operation == "redeem" && c.Status == 201))
        {
            (await _ledger.EventsAsync(redeemed.RequestId)).OfType<VoucherRedeemed>().Should().ContainSingle(await HistoryAsync(calls, redeemed.RequestId));
        }

        foreach (var advice in calls.Where(c => c.AdviceId is not null && c.Status == 202).DistinctBy(c => c.AdviceId))
        {
            var events = await Eventually.ReturnsAsync(() => _ledger.EventsAsync(advice.RequestId),
                e => e.OfType<ProviderAdviceAcked>().Any(a => a.AdviceId == advice.AdviceId), Patience,
                $"advice {advice.AdviceId} acknowledged; {await HistoryAsync(calls, advice.RequestId)}");
            events.OfType<ProviderAdviceAcked>().Should().ContainSingle(a => a.AdviceId == advice.AdviceId);
            _simulator.Book.Redemption(Upstream.Request(advice.RequestId))!.State.Should().Be(advice.Operation == "confirm"
                ? SimulatedRedemptionState.Confirmed
                : SimulatedRedemptionState.Reversed);
        }

        foreach (var unknown in calls.Where(c => c.Operation == "redeem" && c.Status == 504))
        {
            // The provider's answer could not be recorded: the ledger comes to say "unknown" (recorded
            // so, or marked answered-unknown over an answer recorded in doubt) and the switch reverses
            // it, and the provider ends with nothing redeemed.
            var events = await Eventually.ReturnsAsync(() => _ledger.EventsAsync(unknown.RequestId),
                e => e.Any(x => x is RedemptionOutcomeUnknown or RedemptionAnsweredUnknown) && e.OfType<RedemptionReversed>().Any() &&
                     (e.OfType<RedemptionReversed>().Single().Delivery != AdviceDelivery.Forward || e.OfType<ProviderAdviceAcked>().Any()),
                Patience, $"redemption {unknown.RequestId} made unknown and reversed");
            events.OfType<RedemptionReversed>().Should().ContainSingle();
            _simulator.Book.Redemption(Upstream.Request(unknown.RequestId))?.State.Should().Be(SimulatedRedemptionState.Reversed, "nothing stays redeemed at the provider");
        }

        foreach (var requestId in calls.Select(c => c.RequestId).Distinct())
        {
            var version = await _ledger.VersionAsync(requestId);
            if (version > 0)
            {
                await Eventually.ReturnsAsync(() => _ledger.ViewAsync(requestId), v => v?.LastVersion == version, Patience,
                    $"the view of {requestId} to catch up");
            }
        }

        (await _ledger.DeliveriesAsync(DeliveryStatus.Pending)).Should().BeEmpty("every advice reached its provider");
    }

    private static async Task<int> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (int)response.StatusCode;
    }

    /// <summary>What the till and the ledger say of one redemption, for a failure message.</summary>
    private async Task<string> HistoryAsync(IReadOnlyList<TillCall> calls, string requestId)
    {
        var deliveries = (await _ledger.DeliveriesOfAsync(requestId)).Select(d => $"{d.Kind} {d.Status} attempts {d.Attempts} last {d.LastStatus} {d.LastError}");
        return $"till: {string.Join("; ", calls.Where(c => c.RequestId == requestId).Select(c => $"{c.Operation} {c.Status} {c.ErrorType} at {c.At:HH:mm:ss.fff} took {c.Took.TotalMilliseconds:0} ms"))}" +
            $" | events: {Types(await _ledger.EventsAsync(requestId))} | deliveries: {string.Join("; ", deliveries)}";
    }

    private static string Types(IEnumerable<object> events) => string.Join(", ", events.Select(e => e.GetType().Name));

    private static int CountOf(string text, string part) =>
        (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

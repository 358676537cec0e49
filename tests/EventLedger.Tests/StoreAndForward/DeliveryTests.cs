using System.Net;
using System.Net.Http.Json;
using EventLedger.Operations;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using Marten;

namespace EventLedger.Tests.StoreAndForward;

/// <summary>Advices reach the provider through the durable queue, over real HTTP, and the ledger records the answer.</summary>
[Collection(SwitchTests.Name)]
public sealed class DeliveryTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.Client();

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
    }

    [Fact]
    public async Task A_confirmation_is_delivered_and_acknowledged_once_in_the_ledger()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var confirmation = Messages.Confirmation(request.Id!);

        (await _client.ConfirmAsync(confirmation)).Status.Should().Be(202);

        var ack = await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        ack.Should().BeEquivalentTo(new { Kind = AdviceKind.Confirmation, AdviceId = confirmation.Id, BySwitch = false, ProviderStatus = 202 });
        fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Confirmed);
        fixture.Received(Operation.ConfirmRedemption, confirmation).Should().Be(1);
        (await DeliveryAsync(request.Id!, confirmation.Id!)).Should().BeEquivalentTo(new { Status = DeliveryStatus.Acknowledged, Attempts = 1 });
    }

    [Fact]
    public async Task After_n_failures_the_same_advice_is_sent_again_until_the_provider_answers()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var reversal = Messages.Reversal(request.Id!);
        fixture.SimulatorControl.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Respond, Status: 503, Times: 2));
        fixture.SimulatorControl.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Respond, Status: 500, Times: 1));
        fixture.SimulatorControl.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Drop, Times: 1));

        (await _client.ReverseAsync(reversal)).Status.Should().Be(202);

        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        // Four failures (503, 503, 500, connection cut) and the fifth attempt acknowledged, all with one advice id.
        fixture.Received(Operation.ReverseRedemption, reversal).Should().Be(5);
        (await DeliveryAsync(request.Id!, reversal.Id!)).Should().BeEquivalentTo(new { Status = DeliveryStatus.Acknowledged, Attempts = 5, LastStatus = 202 });
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<ProviderAdviceAcked>().Should().ContainSingle();
        fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Reversed);
    }

    [Fact]
    public async Task A_404_to_a_reversal_is_an_acknowledgement_once_its_request_can_no_longer_arrive()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client, SwitchFixture.ImpatientProvider);
        var reversal = Messages.Reversal(request.Id!);
        fixture.SimulatorControl.Add(new Behaviour(Operation.ReverseRedemption, BehaviourAction.Respond, Status: 404,
            ErrorType: ErrorTypes.UnableToLocateRecord, MatchId: Upstream.Advice(reversal)));

        (await _client.ReverseAsync(reversal)).Status.Should().Be(202);

        (await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!)).ProviderStatus.Should().Be(404);
        // Within twice the provider's timeout the request might still have been on its way: tried again.
        (await fixture.Ledger.DeliveryAsync(request.Id!, reversal.Id!))!.Attempts.Should().BeGreaterThan(1);
        fixture.SimulatorControl.Forget(Upstream.Advice(reversal));
    }

    [Fact]
    public async Task A_final_refusal_is_recorded_shown_to_operators_and_resent_on_request()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var confirmation = Messages.Confirmation(request.Id!);
        fixture.SimulatorControl.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 400, ErrorType: ErrorTypes.GeneralError, Times: 1));

        (await _client.ConfirmAsync(confirmation)).Status.Should().Be(202);
        var refusal = await fixture.Ledger.EventuallyAsync<ProviderAdviceRefused>(request.Id!);
        using var ops = fixture.OperatorClient();
        var refused = await ops.GetFromJsonAsync<List<AdviceView>>($"/ops/v1/advices?status=refused&provider={SwitchFixture.SimulatedProvider}&limit=500", AdviceOperations.Json);
        var listed = refused!.Single(a => a.AdviceId == confirmation.Id);
        using var resend = await ops.PostAsync($"/ops/v1/advices/{listed.Id}/resend", null);
        using var again = await ops.PostAsync($"/ops/v1/advices/{listed.Id}/resend", null);

        refusal.Should().BeEquivalentTo(new { ProviderStatus = 400, ErrorType = ErrorTypes.GeneralError });
        listed.Should().BeEquivalentTo(new { Status = DeliveryStatus.Refused, Attempts = 1, LastStatus = 400 });
        resend.StatusCode.Should().Be(HttpStatusCode.Accepted);
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<AdviceResendRequested>().Should().ContainSingle()
            .Which.OperatorId.Should().Be(SwitchFixture.OperatorId);
        fixture.Received(Operation.ConfirmRedemption, confirmation).Should().Be(2);
        again.StatusCode.Should().BeOneOf(HttpStatusCode.Conflict, HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task An_operator_can_retry_a_pending_advice_now_and_the_action_is_recorded()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var confirmation = Messages.Confirmation(request.Id!);
        fixture.SimulatorControl.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503));
        (await _client.ConfirmAsync(confirmation)).Status.Should().Be(202);
        await Eventually.ReturnsAsync(() => DeliveryAsync(request.Id!, confirmation.Id!), d => d?.Attempts >= 2, TimeSpan.FromSeconds(20), "failed attempts");
        using var ops = fixture.OperatorClient();

        using var retry = await ops.PostAsync($"/ops/v1/advices/{ProviderDelivery.IdFor(Redemption.StreamKey(SwitchFixture.ClientId, request.Id!), confirmation.Id!)}/retry", null);
        var afterRetry = await DeliveryAsync(request.Id!, confirmation.Id!);
        fixture.SimulatorControl.Clear();

        retry.StatusCode.Should().Be(HttpStatusCode.Accepted);
        afterRetry!.Generation.Should().Be(1, "older scheduled attempts are now stale");
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<AdviceRetryRequested>().Single().OperatorId.Should().Be(SwitchFixture.OperatorId);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<ProviderAdviceAcked>().Should().ContainSingle();
    }

    [Fact]
    public async Task The_switchs_own_reversal_after_a_timeout_travels_the_same_way()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code, receiverId: SwitchFixture.ImpatientProvider);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: SwitchFixture.ImpatientTimeoutMs + 300, Times: 1));

        (await _client.RedeemAsync(request)).Status.Should().Be(504);

        // The reversal may overtake the late redemption at the provider (404: nothing to reverse yet)
        // or follow it (202); either is a final answer, and the voucher must end up redeemable.
        var ack = await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        ack.Kind.Should().Be(AdviceKind.Reversal);
        fixture.Received(Operation.ReverseRedemption,
            new BasicAdvice { RequestId = request.Id, Id = (await fixture.Ledger.EventsAsync(request.Id!)).OfType<RedemptionReversed>().Single().AdviceId }).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task The_operations_api_wants_an_operators_credentials()
    {
        using var anonymous = fixture.Host.Server.CreateClient();
        using var asOriginator = fixture.Client();

        (await anonymous.GetAsync("/ops/v1/advices")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await asOriginator.GetAsync("/ops/v1/advices")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var ops = fixture.OperatorClient();
        (await ops.GetAsync("/ops/v1/advices?limit=5000")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ops.GetAsync("/ops/v1/advices?status=lost")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ops.PostAsync("/ops/v1/advices/nothing-here/retry", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metrics_show_a_backlog_building_and_draining()
    {
        var requests = new List<RedemptionRequest>();
        for (var i = 0; i < 3; i++)
        {
            requests.Add(await fixture.ApprovedRedemptionAsync(_client));
        }

        fixture.SimulatorControl.Add(new Behaviour(Operation.ConfirmRedemption, BehaviourAction.Respond, Status: 503));
        foreach (var request in requests)
        {
            (await _client.ConfirmAsync(Messages.Confirmation(request.Id!))).Status.Should().Be(202);
        }

        using var scraper = fixture.Host.Server.CreateClient();
        var building = await Eventually.ReturnsAsync(() => PendingAsync(scraper), p => p >= 3, TimeSpan.FromSeconds(20), "the pending gauge to show the backlog");
        var ready = await Eventually.ReturnsAsync(() => scraper.GetStringAsync("/health/ready"), r => r != "Healthy",
            TimeSpan.FromSeconds(20), "readiness to report the backlog older than the alarm age");
        fixture.SimulatorControl.Clear();
        var drained = await Eventually.ReturnsAsync(() => PendingAsync(scraper), p => p == 0, TimeSpan.FromSeconds(30), "the backlog to drain");

        building.Should().BeGreaterThanOrEqualTo(3);
        ready.Should().Be("Degraded", "advices older than the alarm age are reported");
        drained.Should().Be(0);
        (await scraper.GetStringAsync("/metrics")).Should().Contain("eventledger_advice_attempts_total").And.Contain("eventledger_advice_acknowledged_total");
    }

    private static async Task<double> PendingAsync(HttpClient scraper)
    {
        var text = await scraper.GetStringAsync("/metrics");
        var line = text.Split('\n').FirstOrDefault(l =>
            l.StartsWith("eventledger_advices_pending", StringComparison.Ordinal) && l.Contains($"provider=\"{SwitchFixture.SimulatedProvider}\"", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<ProviderDelivery?> DeliveryAsync(string requestId, string adviceId)
    {
        await using var session = fixture.Store.QuerySession();
        return await session.LoadAsync<ProviderDelivery>(ProviderDelivery.IdFor(Redemption.StreamKey(SwitchFixture.ClientId, requestId), adviceId));
    }
}

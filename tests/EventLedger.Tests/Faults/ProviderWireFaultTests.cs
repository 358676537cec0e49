using System.Text;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Faults;

/// <summary>
/// A provider misbehaving at the wire, for lookups, redemptions and advice deliveries: the till gets
/// what docs/protocol.md says (never a 500), the ledger records the truth, deliveries retry with
/// the attempt, last status and last error recorded. Each fault is played for one message id only.
/// </summary>
[Collection(SwitchTests.Name)]
public sealed class ProviderWireFaultTests(SwitchFixture fixture) : IDisposable
{
    private const int Oversized = 300 * 1024;
    private readonly HttpClient _client = fixture.Client();

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
    }

    /// <summary>How each fault is played by the simulator (for the impatient provider, 600 ms).</summary>
    /// <param name="id">The message's id as the provider sees it (<see cref="Upstream"/>).</param>
    public static Behaviour Fault(string fault, string operation, string id)
    {
        return fault switch
        {
            "hang" => new Behaviour(operation, BehaviourAction.Hang, MatchId: id),
            "cut-mid-answer" => new Behaviour(operation, BehaviourAction.CutShort, MatchId: id),
            "trickle" => new Behaviour(operation, BehaviourAction.Trickle, ChunkDelayMs: 50, MatchId: id),
            "non-json" => Raw(operation, id, 200, "<html>oops</html>"u8.ToArray()),
            "invalid-utf8" => Raw(operation, id, 201, [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
            "oversized" => Raw(operation, id, 200, Encoding.ASCII.GetBytes("{\"x\":\"" + new string('a', Oversized) + "\"}")),
            _ when int.TryParse(fault, out var status) => new Behaviour(operation, BehaviourAction.Respond, Status: status, MatchId: id),
            _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, null),
        };
    }

    private static Behaviour Raw(string operation, string id, int status, byte[] body) =>
        new(operation, BehaviourAction.Raw, Status: status, BodyBase64: Convert.ToBase64String(body), MatchId: id);

    [Theory]
    [InlineData("hang")]
    [InlineData("cut-mid-answer")]
    [InlineData("trickle")]
    [InlineData("non-json")]
    [InlineData("invalid-utf8")]
    [InlineData("oversized")]
    [InlineData("500")]
    [InlineData("502")]
    [InlineData("503")]
    [InlineData("504")]
    public async Task A_redemption_without_a_valid_final_answer_is_unknown_and_reversed(string fault)
    {
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync(), receiverId: SwitchFixture.ImpatientProvider);
        fixture.SimulatorControl.Add(Fault(fault, Operation.Redeem, Upstream.Request(request.Id!)));

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(504, answer.Body);
        answer.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.UpstreamUnavailable, Id = request.Id });
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        events.Select(e => e.GetType()).Take(3).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
        events.OfType<RedemptionReversed>().Single().Should().BeEquivalentTo(new { Origin = ReversalOrigin.Switch, Delivery = AdviceDelivery.Forward });
    }

    [Theory]
    [InlineData("401")]
    [InlineData("403")]
    [InlineData("408")]
    [InlineData("429")]
    public async Task A_redemption_the_provider_turns_away_is_final_503_with_nothing_to_reverse(string fault)
    {
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync());
        fixture.SimulatorControl.Add(Fault(fault, Operation.Redeem, Upstream.Request(request.Id!)));

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(503, answer.Body);
        answer.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.UpstreamUnavailable, Id = request.Id, ProviderErrorCode = fault });
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        events.Select(e => e.GetType()).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionDeclined));
        fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!)).Should().BeNull("the provider turned it away before redeeming");
    }

    [Fact]
    public async Task A_provider_that_never_completes_the_handshake_is_503_nothing_sent()
    {
        var request = Messages.Redemption("8888000000000001");

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(503, answer.Body);
        answer.Error.ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
        (await fixture.Ledger.EventsAsync(request.Id!)).Select(e => e.GetType()).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionNotSent));
    }

    [Theory]
    [InlineData("8888000000000001", 503)]
    [InlineData("6666000000000001", 503)]
    [InlineData("5555000000000001", 504)]
    public async Task A_lookup_of_an_unreachable_or_silent_provider_is_answered_with_UPSTREAM_UNAVAILABLE(string code, int status)
    {
        using var response = await _client.GetAsync($"/suv/v1/vouchers?voucherCode={code}");

        ((int)response.StatusCode).Should().Be(status);
        (await response.Content.ReadAsStringAsync()).Should().Contain(ErrorTypes.UpstreamUnavailable);
    }

    [Theory]
    [InlineData("hang", 504)]
    [InlineData("cut-mid-answer", 504)]
    [InlineData("non-json", 504)]
    [InlineData("invalid-utf8", 504)]
    [InlineData("oversized", 504)]
    [InlineData("401", 503)]
    [InlineData("403", 503)]
    [InlineData("408", 503)]
    [InlineData("429", 503)]
    [InlineData("503", 503)]
    public async Task A_lookup_the_provider_answers_badly_is_never_a_500(string fault, int status)
    {
        var code = await fixture.ProvisionVoucherAsync();
        fixture.SimulatorControl.Add(Fault(fault, Operation.Lookup, code));

        using var response = await _client.GetAsync($"/suv/v1/vouchers?voucherCode={code}&receiverInstId={SwitchFixture.ImpatientProvider}");

        ((int)response.StatusCode).Should().Be(status, await response.Content.ReadAsStringAsync());
        var error = EventLedger.Suv.SuvJson.Deserialize<ErrorDetail>(await response.Content.ReadAsStringAsync());
        error.ErrorType.Should().BeOneOf(ErrorTypes.UpstreamUnavailable, ErrorTypes.GeneralError);
    }

    [Theory]
    [InlineData("hang", null)]
    [InlineData("cut-mid-answer", null)]
    [InlineData("trickle", null)]
    [InlineData("401", 401)]
    [InlineData("403", 403)]
    [InlineData("408", 408)]
    [InlineData("429", 429)]
    [InlineData("500", 500)]
    [InlineData("503", 503)]
    public async Task An_advice_delivery_that_fails_is_retried_with_its_status_and_error_recorded(string fault, int? lastStatus)
    {
        var request = await fixture.ApprovedRedemptionAsync(_client, SwitchFixture.ImpatientProvider);
        var confirmation = Messages.Confirmation(request.Id!);
        fixture.SimulatorControl.Add(Fault(fault, Operation.ConfirmRedemption, Upstream.Advice(confirmation)));

        (await _client.ConfirmAsync(confirmation)).Status.Should().Be(202);

        var failing = await Eventually.ReturnsAsync(() => fixture.Ledger.DeliveryAsync(request.Id!, confirmation.Id!),
            d => d is { Attempts: >= 2 }, TimeSpan.FromSeconds(20), "two failed attempts");
        failing.Should().BeEquivalentTo(new { Status = DeliveryStatus.Pending, LastStatus = lastStatus });
        failing!.LastError.Should().NotBeNullOrEmpty();
        failing.NextAttemptAt.Should().NotBeNull();

        fixture.SimulatorControl.Clear();
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<ProviderAdviceAcked>().Should().ContainSingle();
        (await fixture.Ledger.DeliveryAsync(request.Id!, confirmation.Id!)).Should().BeEquivalentTo(new { Status = DeliveryStatus.Acknowledged, LastStatus = 202 });
    }

    [Fact]
    public async Task An_advice_answered_2xx_with_garbage_is_acknowledged_the_status_is_the_answer()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var reversal = Messages.Reversal(request.Id!);
        fixture.SimulatorControl.Add(Fault("non-json", Operation.ReverseRedemption, Upstream.Advice(reversal)));

        (await _client.ReverseAsync(reversal)).Status.Should().Be(202);

        var ack = await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        ack.ProviderStatus.Should().Be(200);
    }
}

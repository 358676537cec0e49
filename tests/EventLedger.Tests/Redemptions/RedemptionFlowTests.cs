using System.Text;
using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Redemptions;

/// <summary>
/// The seed's message flows end to end: the switch in-process on real PostgreSQL, the provider
/// simulator over real HTTP. Each asserts the answers, the stream and what the provider received.
/// </summary>
[Collection(SwitchTests.Name)]
public sealed class RedemptionFlowTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.Client();

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
    }

    [Fact]
    public async Task Dual_messaging_redeem_then_confirm()
    {
        var code = await fixture.ProvisionVoucherAsync(valueMinor: 7_500);
        var request = Messages.Redemption(code);

        var redeemed = await _client.RedeemAsync(request);
        var confirmation = Messages.Confirmation(request.Id!);
        var confirmed = await _client.ConfirmAsync(confirmation);

        redeemed.Status.Should().Be(201, redeemed.Body);
        var response = redeemed.As<RedemptionResponse>();
        response.Id.Should().Be(request.Id);
        response.Time.Should().Be(request.Time);
        response.Amounts!.ApprovedAmount!.Amount.Should().Be(7_500);
        response.ThirdPartyIdentifiers!.Select(t => t.InstitutionId).Should().Contain([SwitchFixture.SwitchInstitution, SwitchFixture.SimulatedProvider]);
        redeemed.Body.Should().NotContain(code);
        confirmed.Status.Should().Be(202);
        confirmed.As<BasicAdvice>().Should().BeEquivalentTo(confirmation);

        // The confirmation reaches the provider by store-and-forward, after the 202.
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        events.Select(e => e.GetType()).Should().Equal(
            typeof(RedemptionRequested), typeof(VoucherRedeemed), typeof(RedemptionConfirmed), typeof(ProviderAdviceAcked));
        events.OfType<RedemptionConfirmed>().Single().Delivery.Should().Be(AdviceDelivery.Forward);
        fixture.Received(Operation.Redeem, request.Id!).Should().Be(1);
        fixture.Received(Operation.ConfirmRedemption, confirmation).Should().Be(1);
        fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!))!.State.Should().Be(SimulatedRedemptionState.Confirmed);
    }

    [Fact]
    public async Task Single_messaging_redeem_only()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);

        var redeemed = await _client.RedeemAsync(request);

        redeemed.Status.Should().Be(201);
        (await fixture.Ledger.EventsAsync(request.Id!)).Select(e => e.GetType()).Should().Equal(typeof(RedemptionRequested), typeof(VoucherRedeemed));
        fixture.Received(Operation.Redeem, request.Id!).Should().Be(1);
    }

    [Fact]
    public async Task Timeout_at_the_originator_reversal_of_an_approved_redemption()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var reversal = Messages.Reversal(request.Id!, reason: "TIMEOUT");

        var reversed = await _client.ReverseAsync(reversal);
        var again = await _client.ReverseAsync(reversal);
        var lateConfirmation = await _client.ConfirmAsync(Messages.Confirmation(request.Id!));

        reversed.Status.Should().Be(202);
        again.Should().Be(reversed, "a repeated advice is answered exactly as the first time");
        lateConfirmation.Status.Should().Be(400);
        lateConfirmation.Error.ErrorType.Should().Be(ErrorTypes.RedemptionAlreadyReversed);
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        events.OfType<RedemptionReversed>().Should().ContainSingle()
            .Which.Should().BeEquivalentTo(new { Origin = ReversalOrigin.Originator, Delivery = AdviceDelivery.Forward });
        events.OfType<AdviceRefused>().Should().ContainSingle();
    }

    [Fact]
    public async Task Error_at_the_originator_reversal_before_the_request_then_the_late_request_is_refused_unsent()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);
        var reversal = Messages.Reversal(request.Id!, reason: "TIMEOUT");

        var early = await _client.ReverseAsync(reversal);
        var late = await _client.RedeemAsync(request);

        early.Status.Should().Be(404);
        early.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.UnableToLocateRecord, Id = reversal.Id, OriginalId = request.Id });
        late.Status.Should().Be(400);
        late.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.RedemptionAlreadyReversed, Id = request.Id, OriginalId = reversal.Id });
        (await fixture.Ledger.EventsAsync(request.Id!)).Select(e => e.GetType()).Should().Equal(typeof(ReversalReceivedBeforeRequest));
        fixture.Received(Operation.Redeem, request.Id!).Should().Be(0);
    }

    [Fact]
    public async Task Error_upstream_the_providers_decline_is_passed_through()
    {
        var code = await fixture.ProvisionVoucherAsync();
        (await _client.RedeemAsync(Messages.Redemption(code))).Status.Should().Be(201);
        var second = Messages.Redemption(code);

        var declined = await _client.RedeemAsync(second);
        var confirmation = await _client.ConfirmAsync(Messages.Confirmation(second.Id!));
        var reversal = await _client.ReverseAsync(Messages.Reversal(second.Id!));

        declined.Status.Should().Be(400);
        declined.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.VoucherAlreadyRedeemed, Id = second.Id });
        confirmation.Error.ErrorType.Should().Be(ErrorTypes.VoucherNotRedeemed);
        reversal.Status.Should().Be(202);
        var events = await fixture.Ledger.EventsAsync(second.Id!);
        events.OfType<RedemptionDeclined>().Single().ErrorType.Should().Be(ErrorTypes.VoucherAlreadyRedeemed);
        events.OfType<RedemptionReversed>().Single().Delivery.Should().Be(AdviceDelivery.NotNeeded);
    }

    [Fact]
    public async Task Error_upstream_a_voucher_whose_sale_was_never_confirmed_is_not_redeemable()
    {
        var code = await fixture.ProvisionVoucherAsync(confirm: false);

        var declined = await _client.RedeemAsync(Messages.Redemption(code));

        declined.Status.Should().Be(400);
        declined.Error.ErrorType.Should().Be(ErrorTypes.VoucherNotRedeemable);
    }

    [Fact]
    public async Task Timeout_upstream_the_outcome_is_unknown_and_the_switch_reverses_it()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code, receiverId: SwitchFixture.ImpatientProvider);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Delay, DelayMs: SwitchFixture.ImpatientTimeoutMs + 400, Times: 1));

        var answer = await _client.RedeemAsync(request);
        var confirmation = await _client.ConfirmAsync(Messages.Confirmation(request.Id!));

        answer.Status.Should().Be(504);
        answer.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.UpstreamUnavailable, Id = request.Id });
        confirmation.Error.ErrorType.Should().Be(ErrorTypes.RedemptionAlreadyReversed);
        var events = await fixture.Ledger.EventsAsync(request.Id!);
        // The switch's reversal may be acknowledged at any point after it is recorded.
        events.Select(e => e.GetType()).Take(3).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
        events.OfType<AdviceRefused>().Should().ContainSingle();
        var reversal = events.OfType<RedemptionReversed>().Single();
        reversal.Should().BeEquivalentTo(new { Origin = ReversalOrigin.Switch, ReversalReason = "TIMEOUT", Delivery = AdviceDelivery.Forward });
        // The provider redeems too late, and the switch's reversal undoes it: by reversing it, or,
        // overtaking it, by making the provider refuse it.
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);
        await Eventually.ReturnsAsync(() => fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!))?.State ?? (SimulatedRedemptionState?)null,
            s => s == SimulatedRedemptionState.Reversed || (s is null && fixture.SimulatorBook.WasReversedBeforeRequest(Upstream.Request(request.Id!))),
            TimeSpan.FromSeconds(10), "nothing redeemed at the provider");
    }

    [Fact]
    public async Task Connection_lost_after_sending_is_an_unknown_outcome()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Drop, Times: 1));

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(504);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<RedemptionOutcomeUnknown>().Should().ContainSingle();
        fixture.SimulatorBook.Redemption(Upstream.Request(request.Id!)).Should().NotBeNull("the simulator redeemed before it cut the line");
    }

    [Theory]
    [InlineData(500)]
    [InlineData(504)]
    public async Task A_provider_5xx_is_an_unknown_outcome(int status)
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);
        fixture.SimulatorControl.Add(new Behaviour(Operation.Redeem, BehaviourAction.Respond, Status: status, Times: 1));

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(504);
        (await fixture.Ledger.EventsAsync(request.Id!)).Select(e => e.GetType()).Take(3)
            .Should().Equal(typeof(RedemptionRequested), typeof(RedemptionOutcomeUnknown), typeof(RedemptionReversed));
    }

    [Fact]
    public async Task Nothing_sent_is_503_final_with_no_reversal()
    {
        var request = Messages.Redemption("6666000000000001");

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(503);
        answer.Error.ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
        (await fixture.Ledger.EventsAsync(request.Id!)).Select(e => e.GetType()).Should().Equal(typeof(RedemptionRequested), typeof(RedemptionNotSent));
    }

    [Fact]
    public async Task A_duplicate_request_id_is_refused_without_a_second_call()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);

        var duplicate = await _client.RedeemAsync(request with { Voucher = new Voucher { Code = "4444999999999999" } });

        duplicate.Status.Should().Be(400);
        duplicate.Error.Should().BeEquivalentTo(new { ErrorType = ErrorTypes.DuplicateRecord, Id = request.Id });
        fixture.Received(Operation.Redeem, request.Id!).Should().Be(1);
    }

    [Fact]
    public async Task A_provider_taking_no_advices_has_them_consumed_by_the_switch()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client, receiverId: SwitchFixture.NoAdviceProvider);
        var confirmation = Messages.Confirmation(request.Id!);

        (await _client.ConfirmAsync(confirmation)).Status.Should().Be(202);

        var events = await fixture.Ledger.EventsAsync(request.Id!);
        events.OfType<RedemptionConfirmed>().Single().Delivery.Should().Be(AdviceDelivery.ConsumedBySwitch);
        events.OfType<ProviderAdviceAcked>().Should().ContainSingle().Which.BySwitch.Should().BeTrue();
        fixture.Received(Operation.ConfirmRedemption, confirmation).Should().Be(0);
    }

    [Fact]
    public async Task An_advice_on_another_clients_redemption_is_404()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        using var other = fixture.Client(SwitchFixture.OtherClientId, SwitchFixture.OtherClientPassword);

        var confirmation = await other.ConfirmAsync(Messages.Confirmation(request.Id!));

        confirmation.Status.Should().Be(404);
        (await fixture.Ledger.EventsAsync(request.Id!)).OfType<RedemptionConfirmed>().Should().BeEmpty();
    }

    [Fact]
    public async Task A_message_sent_as_another_client_is_an_authentication_error_after_validation()
    {
        var request = Messages.Redemption("4444000000000002", clientId: SwitchFixture.OtherClientId);

        var mismatched = await _client.RedeemAsync(request);
        var invalidAndMismatched = await _client.RedeemAsync(request with { Time = null });

        mismatched.Status.Should().Be(400);
        mismatched.Error.ErrorType.Should().Be(ErrorTypes.AuthenticationError);
        invalidAndMismatched.Error.ErrorType.Should().Be(ErrorTypes.FormatError);
        (await fixture.Ledger.EventsAsync(request.Id!)).Should().BeEmpty();
        (await fixture.Ledger.EventsAsync(SwitchFixture.OtherClientId, request.Id!)).Should().BeEmpty();
    }

    [Theory]
    [InlineData("/suv/v1/redemptions", "{\"id\":")]
    [InlineData("/suv/v1/redemptions/confirmations", "[]")]
    [InlineData("/suv/v1/redemptions/reversals", "{\"id\":\"not-a-uuid\"}")]
    [InlineData("/suv/v1/redemptions/", "{}")]
    public async Task Bad_bodies_get_format_errors_never_a_500(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync(path, content);

        ((int)response.StatusCode).Should().Be(400);
        (await response.Content.ReadAsStringAsync()).Should().Contain(ErrorTypes.FormatError);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        using var content = new StringContent("{\"id\":\"" + new string('x', 70_000) + "\"}", Encoding.UTF8, "application/json");

        using var response = await _client.PostAsync("/suv/v1/redemptions", content);

        ((int)response.StatusCode).Should().Be(413);
    }

    [Fact]
    public async Task No_event_holds_a_voucher_code_in_the_clear()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var code = request.Voucher!.Code!;
        (await _client.ReverseAsync(Messages.Reversal(request.Id!))).Status.Should().Be(202);

        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from ledger.mt_events where data::text like @code", connection);
        command.Parameters.AddWithValue("code", "%" + code + "%");
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
    }
}

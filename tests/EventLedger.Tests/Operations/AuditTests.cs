using System.Net;
using System.Net.Http.Json;
using EventLedger.Operations;
using EventLedger.Redemptions;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Operations;

/// <summary>Operators' audit over real data: search, timeline, every use of a voucher.</summary>
[Collection(SwitchTests.Name)]
public sealed class AuditTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.Client();
    private readonly HttpClient _ops = fixture.OperatorClient();

    public void Dispose()
    {
        _client.Dispose();
        _ops.Dispose();
    }

    [Fact]
    public async Task A_transactions_timeline_holds_every_event_in_order_and_its_deliveries()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var code = request.Voucher!.Code!;
        (await _client.ConfirmAsync(Messages.Confirmation(request.Id!))).Status.Should().Be(202);
        await fixture.Ledger.EventuallyAsync<ProviderAdviceAcked>(request.Id!);

        var timeline = await Eventually.ReturnsAsync(
            async () => (await _ops.GetFromJsonAsync<TimelineDto>($"/ops/v1/transactions/{SwitchFixture.ClientId}/{request.Id}", AdviceOperations.Json))!,
            t => t.Transaction?.Status == TransactionStatus.Confirmed, TimeSpan.FromSeconds(30), "the projection to catch up");

        timeline.Events.Select(e => e.Type).Should().Equal(
            nameof(RedemptionRequested), nameof(VoucherRedeemed), nameof(RedemptionConfirmed), nameof(ProviderAdviceAcked));
        timeline.Events.Select(e => e.Version).Should().BeInAscendingOrder();
        timeline.Deliveries.Should().ContainSingle().Which.Attempts.Should().Be(1);
        System.Text.Json.JsonSerializer.Serialize(timeline).Should().NotContain(code);
    }

    [Fact]
    public async Task Transactions_can_be_searched_by_client_merchant_terminal_provider_and_status()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client, merchantId: "AUDITMERCHANT01");

        var found = await Eventually.ReturnsAsync(
            async () => (await _ops.GetFromJsonAsync<List<RedemptionView>>(
                $"/ops/v1/transactions?client={SwitchFixture.ClientId}&merchant=AUDITMERCHANT01&terminal=term0001&provider={SwitchFixture.SimulatedProvider}&status=approved",
                AdviceOperations.Json))!,
            l => l.Count > 0, TimeSpan.FromSeconds(30), "the projection to catch up");
        using var wrongStatus = await _ops.GetAsync("/ops/v1/transactions?merchant=AUDITMERCHANT01&status=confirmed");
        using var badRange = await _ops.GetAsync("/ops/v1/transactions?from=2026-11-25T10:00:00Z&to=2026-11-24T10:00:00Z");

        found.Should().ContainSingle().Which.RequestId.Should().Be(request.Id);
        (await wrongStatus.Content.ReadFromJsonAsync<List<RedemptionView>>(AdviceOperations.Json)).Should().BeEmpty();
        badRange.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Every_use_of_a_voucher_is_found_through_its_keyed_hash()
    {
        var code = await fixture.ProvisionVoucherAsync();
        (await _client.GetAsync($"/suv/v1/vouchers?voucherCode={code}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var request = Messages.Redemption(code);
        (await _client.RedeemAsync(request)).Status.Should().Be(201);

        var history = await Eventually.ReturnsAsync(
            async () =>
            {
                using var response = await _ops.PostAsJsonAsync("/ops/v1/vouchers/search", new VoucherSearch(code));
                return (Body: await response.Content.ReadAsStringAsync(), History: await response.Content.ReadFromJsonAsync<VoucherHistory>(AdviceOperations.Json));
            },
            h => h.History!.Redemptions.Count > 0, TimeSpan.FromSeconds(30), "the projection to catch up");

        history.History!.Redemptions.Should().ContainSingle().Which.RequestId.Should().Be(request.Id);
        history.History.Lookups.Should().ContainSingle();
        history.Body.Should().NotContain(code);
    }

    private sealed record TimelineDto(RedemptionView? Transaction, List<EntryDto> Events, List<AdviceView> Deliveries);

    private sealed record EntryDto(long Sequence, long Version, DateTimeOffset Time, string Type);
}

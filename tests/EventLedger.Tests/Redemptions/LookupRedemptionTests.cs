using System.Net;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Redemptions;

/// <summary>lookupRedemption end to end: "still processing" until settled, then the original answer.</summary>
[Collection(SwitchTests.Name)]
public sealed class LookupRedemptionTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.Client();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task A_redemption_is_still_processing_until_settled_then_its_original_answer_is_served()
    {
        var code = await fixture.ProvisionVoucherAsync();
        var request = Messages.Redemption(code);
        var original = await _client.RedeemAsync(request);
        original.Status.Should().Be(201);

        using var early = await _client.GetAsync($"/suv/v1/redemptions/{request.Id}");
        var served = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await _client.GetAsync($"/suv/v1/redemptions/{request.Id}");
            return (Status: (int)response.StatusCode, Body: await response.Content.ReadAsStringAsync(),
                Sequence: response.Headers.TryGetValues(LookupRedemption.SequenceHeader, out var s) ? s.Single() : null,
                AsOf: response.Headers.TryGetValues(LookupRedemption.AsOfHeader, out var a) ? a.Single() : null);
        }, r => r.Status != 202, TimeSpan.FromSeconds(30), "the redemption to settle");

        early.StatusCode.Should().Be(HttpStatusCode.Accepted, "the processing period has not passed yet");
        early.Headers.RetryAfter.Should().NotBeNull();
        served.Status.Should().Be(200);
        served.Body.Should().Be(original.Body, "the original answer is served byte for byte");
        long.Parse(served.Sequence!, System.Globalization.CultureInfo.InvariantCulture).Should().BePositive();
        served.AsOf.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_declined_redemption_is_served_with_its_original_status_and_error()
    {
        var request = Messages.Redemption("4444000000000099");
        var original = await _client.RedeemAsync(request);

        var served = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await _client.GetAsync($"/suv/v1/redemptions/{request.Id}");
            return new SuvAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }, r => r.Status != 202, TimeSpan.FromSeconds(30), "the decline to settle");

        original.Status.Should().Be(404);
        served.Should().Be(original);
    }

    [Fact]
    public async Task Unknown_ids_are_404_other_clients_ids_403_and_malformed_ids_a_format_error()
    {
        var request = await fixture.ApprovedRedemptionAsync(_client);
        var onlyReversed = Guid.NewGuid().ToString();
        (await _client.ReverseAsync(Messages.Reversal(onlyReversed))).Status.Should().Be(404);
        using var other = fixture.Client(SwitchFixture.OtherClientId, SwitchFixture.OtherClientPassword);

        using var unknown = await _client.GetAsync($"/suv/v1/redemptions/{Guid.NewGuid()}");
        using var foreign = await other.GetAsync($"/suv/v1/redemptions/{request.Id}");
        using var malformed = await _client.GetAsync("/suv/v1/redemptions/not-a-uuid");
        var neverRequested = await Eventually.ReturnsAsync(async () =>
        {
            using var response = await _client.GetAsync($"/suv/v1/redemptions/{onlyReversed}");
            return (int)response.StatusCode;
        }, s => s != 202, TimeSpan.FromSeconds(30), "the reversal to be projected");

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        foreign.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        malformed.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await malformed.Content.ReadAsStringAsync()).Should().Contain(ErrorTypes.FormatError);
        neverRequested.Should().Be(404, "the original request was not received");
    }
}

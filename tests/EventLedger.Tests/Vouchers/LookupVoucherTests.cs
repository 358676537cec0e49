using System.Net;
using System.Text.Json.Nodes;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;
using EventLedger.Vouchers;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.Vouchers;

[Collection(SwitchTests.Name)]
public sealed class LookupVoucherTests(SwitchFixture fixture)
{
    [Fact]
    public async Task A_lookup_crosses_the_switch_to_the_provider_and_is_recorded_with_the_code_masked()
    {
        var code = await fixture.ProvisionVoucherAsync(valueMinor: 12_345);
        using var client = fixture.Client();

        using var response = await client.GetAsync($"/suv/v1/vouchers?voucherCode={code}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = SuvJson.Deserialize<VoucherLookupResponse>(await response.Content.ReadAsStringAsync());
        body.Amounts!.ApprovedAmount!.Amount.Should().Be(12_345);
        body.Receiver!.Id.Should().Be(SwitchFixture.SimulatedProvider);

        var recorded = await LookupEventFor(code);
        recorded.Status.Should().Be(200);
        recorded.ClientId.Should().Be(SwitchFixture.ClientId);
        recorded.ProviderId.Should().Be(SwitchFixture.SimulatedProvider);
        recorded.VoucherCodeMasked.Should().Be("************" + code[^4..]);
        await AssertCodeNeverStoredInClear(code);
    }

    [Fact]
    public async Task A_trailing_slash_reaches_the_same_operation()
    {
        var code = await fixture.ProvisionVoucherAsync();
        using var client = fixture.Client();

        using var response = await client.GetAsync($"/suv/v1/vouchers/?voucherCode={code}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_providers_error_is_passed_through_with_its_status()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync("/suv/v1/vouchers?voucherCode=4444000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var error = await ReadError(response);
        error.ErrorType.Should().Be(ErrorTypes.UnableToLocateRecord);
        (await LookupEventFor("4444000000000000")).Status.Should().Be(404);
    }

    [Fact]
    public async Task A_voucher_no_provider_issues_is_a_routing_error()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync("/suv/v1/vouchers?voucherCode=9999000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await ReadError(response)).ErrorType.Should().Be(ErrorTypes.RoutingError);
    }

    [Fact]
    public async Task The_receiver_named_in_the_query_wins_over_the_code_prefix()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync($"/suv/v1/vouchers?voucherCode=4444000000000001&receiverInstId={SwitchFixture.RefusingProvider}");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task A_provider_that_refuses_connections_is_503_upstream_unavailable()
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync("/suv/v1/vouchers?voucherCode=6666000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await ReadError(response)).ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
    }

    [Fact]
    public async Task A_provider_that_never_answers_is_504_upstream_unavailable_after_its_timeout()
    {
        using var client = fixture.Client();
        var started = System.Diagnostics.Stopwatch.StartNew();

        using var response = await client.GetAsync("/suv/v1/vouchers?voucherCode=5555000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        (await ReadError(response)).ErrorType.Should().Be(ErrorTypes.UpstreamUnavailable);
        // The provider's timeout is a timer, which may fire up to a tick of the system clock early
        // (399.5 ms was seen for 400): what is checked is that the switch waited for it, not gave up at once.
        started.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(SwitchFixture.SilentProviderTimeoutMs - 16));
    }

    [Theory]
    [InlineData("/suv/v1/vouchers", "voucherCode")]
    [InlineData("/suv/v1/vouchers?voucherCode=44440000000000000000000000000000000000001", "voucherCode")]
    [InlineData("/suv/v1/vouchers?provisionRequestId=not-a-uuid", "provisionRequestId")]
    public async Task A_malformed_query_is_a_format_error_naming_the_field(string url, string field)
    {
        using var client = fixture.Client();

        using var response = await client.GetAsync(url);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var error = await ReadError(response);
        error.ErrorType.Should().Be(ErrorTypes.FormatError);
        error.Id.Should().NotBeNullOrEmpty();
        error.DetailMessage!["formatErrors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).Should().Contain(field);
    }

    [Theory]
    [InlineData("99999999", "whatever")]
    [InlineData(SwitchFixture.ClientId, "wrong-password")]
    public async Task Unknown_users_and_wrong_passwords_get_401_with_an_error_detail(string user, string password)
    {
        using var client = fixture.Client(user, password);

        using var response = await client.GetAsync("/suv/v1/vouchers?voucherCode=4444000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Basic");
        (await ReadError(response)).ErrorType.Should().Be(ErrorTypes.AuthenticationError);
    }

    [Fact]
    public async Task Missing_credentials_get_401()
    {
        using var client = fixture.Host.Server.CreateClient();

        using var response = await client.GetAsync("/suv/v1/vouchers?voucherCode=4444000000000000");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    private static async Task<ErrorDetail> ReadError(HttpResponseMessage response) =>
        SuvJson.Deserialize<ErrorDetail>(await response.Content.ReadAsStringAsync());

    private async Task<VoucherLookedUp> LookupEventFor(string code)
    {
        var hash = fixture.Host.Services.GetRequiredService<EventLedger.Security.VoucherCodes>().Hash(code);
        await using var session = fixture.Store.QuerySession();
        var events = await session.Events.QueryRawEventDataOnly<VoucherLookedUp>()
            .Where(e => e.VoucherCodeHash == hash).ToListAsync();
        return events.Should().ContainSingle().Subject;
    }

    private async Task AssertCodeNeverStoredInClear(string code)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from ledger.mt_events where data::text like @code", connection);
        command.Parameters.AddWithValue("code", "%" + code + "%");
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(0);
    }
}

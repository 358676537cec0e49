using System.Net;
using EventLedger.Hosting;
using EventLedger.Operations;
using EventLedger.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace EventLedger.Tests.Operations;

/// <summary>Roles on operator accounts, over the operations API: every role reads, only Operator and Finance act.</summary>
[Collection(SwitchTests.Name)]
public sealed class RoleTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _viewer = fixture.ViewerClient();

    public void Dispose() => _viewer.Dispose();

    [Fact]
    public async Task A_viewer_reads_transactions_advices_and_days()
    {
        (await _viewer.GetAsync("/ops/v1/transactions")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _viewer.GetAsync("/ops/v1/advices")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _viewer.GetAsync("/ops/v1/finance/days/2026-01-01")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_viewer_is_refused_every_action_and_nothing_is_recorded()
    {
        var client = fixture.Client();
        var request = await fixture.ApprovedRedemptionAsync(client);
        var before = (await fixture.Ledger.EventsAsync(SwitchFixture.ClientId, request.Id!)).Count;
        var delivery = Uri.EscapeDataString($"{EventLedger.Redemptions.Redemption.StreamKey(SwitchFixture.ClientId, request.Id!)}:x");

        (await _viewer.PostAsync($"/ops/v1/advices/{delivery}/retry", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _viewer.PostAsync($"/ops/v1/advices/{delivery}/resend", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await _viewer.PostAsync("/ops/v1/finance/days/2026-01-02/close", null)).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        using var file = new StringContent("requestId,providerReference,amountMinor,currency,status\n", System.Text.Encoding.UTF8, "text/csv");
        (await _viewer.PostAsync("/ops/v1/finance/days/2026-01-02/settlements/44444444", file)).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        (await fixture.Ledger.EventsAsync(SwitchFixture.ClientId, request.Id!)).Should().HaveCount(before);
    }

    [Fact]
    public void An_account_without_roles_does_not_start_the_switch()
    {
        var accounts = new[] { new OperatorAccount { Id = "old", PasswordHash = "x" } };

        FluentActions.Invoking(() => OperatorAccount.Check(accounts)).Should().Throw<StartupException>()
            .WithMessage("Operators: 'old' has no Roles*Viewer, Operator, Finance*");
    }

    [Fact]
    public void A_role_that_is_none_of_the_three_does_not_start_the_switch()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Operators:0:Id"] = "x", ["Operators:0:Roles:0"] = "Admin",
        }).Build();

        FluentActions.Invoking(() => OperationsConfiguration.Read(configuration)).Should().Throw<StartupException>()
            .WithMessage("Operators:0:Roles:0: 'Admin' is not a role*");
    }

    [Theory]
    [InlineData(new[] { OperatorRole.Viewer }, true, false, false)]
    [InlineData(new[] { OperatorRole.Operator }, true, true, false)]
    [InlineData(new[] { OperatorRole.Finance }, true, false, true)]
    [InlineData(new OperatorRole[0], false, false, false)]
    public void Every_role_reads_and_each_acts_only_as_named(OperatorRole[] roles, bool reads, bool retries, bool closes)
    {
        var account = new OperatorAccount { Id = "a", Roles = [.. roles] };

        account.Can(OperatorRole.Viewer).Should().Be(reads);
        account.Can(OperatorRole.Operator).Should().Be(retries);
        account.Can(OperatorRole.Finance).Should().Be(closes);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using EventLedger.Finance;
using EventLedger.Operations;
using EventLedger.Redemptions;
using EventLedger.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.Finance;

/// <summary>A switch whose clock runs two days ahead, so that today has ended and can be closed.</summary>
public sealed class FinanceFixture : SwitchFixture
{
    protected override TimeProvider Time { get; } = new AheadOfTime(TimeSpan.FromDays(2));

    /// <summary>
    /// A day's report. To this switch today has ended, so while the view trails the requests just
    /// made it answers 409 "try again": the report is read once the view has caught up.
    /// </summary>
    public static async Task<DayReport> DayAsync(HttpClient ops, string day)
    {
        Func<Task<DayReport?>> read = async () =>
        {
            using var response = await ops.GetAsync($"/ops/v1/finance/days/{day}");
            return response.StatusCode == System.Net.HttpStatusCode.Conflict
                ? null
                : await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<DayReport>(AdviceOperations.Json);
        };
        return (await Eventually.ReturnsAsync<DayReport?>(read, r => r is not null, TimeSpan.FromSeconds(30), $"the views to catch up with {day}"))!;
    }

    private sealed class AheadOfTime(TimeSpan ahead) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + ahead;
    }
}

[CollectionDefinition(Name)]
public sealed class FinanceGroup : ICollectionFixture<FinanceFixture>
{
    public const string Name = "finance";
}

/// <summary>Reconciliation, closing a day, settlement matching and projection rebuilds, on real data.</summary>
[Collection(FinanceGroup.Name)]
public sealed class FinanceTests(FinanceFixture fixture) : IDisposable
{
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private readonly HttpClient _client = fixture.Client();
    private readonly HttpClient _ops = fixture.OperatorClient();

    public void Dispose()
    {
        _client.Dispose();
        _ops.Dispose();
    }

    [Fact]
    public async Task Totals_equal_the_transactions_created_and_a_closed_day_keeps_them_while_reporting_a_late_change()
    {
        const string merchant = "FINANCEMERCH001";
        var approved = await RedeemAsync(1_000, merchant);
        var confirmed = await RedeemAsync(2_000, merchant);
        var reversed = await RedeemAsync(3_000, merchant);
        (await _client.ConfirmAsync(Messages.Confirmation(confirmed.Id!))).Status.Should().Be(202);
        (await _client.ReverseAsync(Messages.Reversal(reversed.Id!))).Status.Should().Be(202);
        (await _client.RedeemAsync(Messages.Redemption("4444000000000777", merchantId: merchant))).Status.Should().Be(404);
        (await _client.RedeemAsync(Messages.Redemption("6666000000000777", merchantId: merchant))).Status.Should().Be(503);

        var report = await Eventually.ReturnsAsync(() => DayAsync(), r => Row(r, SwitchFixture.SimulatedProvider, merchant) is { Confirmed: 1, Reversed: 1 }
            && Row(r, SwitchFixture.RefusingProvider, merchant) is not null, TimeSpan.FromSeconds(30), "the projection to hold the day");

        Row(report, SwitchFixture.SimulatedProvider, merchant).Should().BeEquivalentTo(new DayTotal(
            SwitchFixture.SimulatedProvider, merchant, "710", 1, 1_000, 1, 2_000, 1, 3_000, 1, 10_000, 0, 0, 0, 0, 0, 3_000));
        Row(report, SwitchFixture.RefusingProvider, merchant)!.NotSent.Should().Be(1);

        using var csv = await _ops.GetAsync($"/ops/v1/finance/days/{Today}?format=csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("Provider,Merchant,Currency,Approved,ApprovedAmount,Confirmed");
        lines.Should().Contain(l => l.StartsWith($"{SwitchFixture.SimulatedProvider},{merchant},710,1,1000,1,2000,1,3000,1,10000", StringComparison.Ordinal));

        using var close = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/close", null);
        var closed = await close.Content.ReadFromJsonAsync<ClosedDay>(AdviceOperations.Json);
        var reread = await DayAsync();
        using var again = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/close", null);

        close.StatusCode.Should().Be(HttpStatusCode.Created);
        closed!.ClosedBy.Should().Be(SwitchFixture.OperatorId);
        reread.Closed.Should().BeTrue();
        reread.ChangedSinceClose.Should().BeFalse("the hash is stable while nothing changes");
        reread.EventsHash.Should().Be(closed.EventsHash);
        again.StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await _client.ReverseAsync(Messages.Reversal(approved.Id!))).Status.Should().Be(202);
        var late = await Eventually.ReturnsAsync(() => DayAsync(), r => r.ChangedSinceClose && Row(r.CurrentTotals!, SwitchFixture.SimulatedProvider, merchant) is { Reversed: 2 },
            TimeSpan.FromSeconds(30), "the late reversal to show");

        late.Totals.Single(t => t.Provider == SwitchFixture.SimulatedProvider && t.Merchant == merchant).Approved.Should().Be(1, "a closed day's totals stay frozen");
    }

    [Fact]
    public async Task The_settlement_match_finds_every_planted_break_and_nothing_else()
    {
        const string merchant = "SETTLEMERCHANT1";
        var matched = await RedeemAsync(1_500, merchant, SwitchFixture.SettlementProvider);
        var amountOff = await RedeemAsync(2_500, merchant, SwitchFixture.SettlementProvider);
        var reversed = await RedeemAsync(3_500, merchant, SwitchFixture.SettlementProvider);
        var unreported = await RedeemAsync(4_500, merchant, SwitchFixture.SettlementProvider);
        var claimedTwice = await RedeemAsync(5_500, merchant, SwitchFixture.SettlementProvider);
        (await _client.ReverseAsync(Messages.Reversal(reversed.Id!))).Status.Should().Be(202);
        await Eventually.ReturnsAsync(() => DayAsync(), r => Row(r, SwitchFixture.SettlementProvider, merchant) is { Approved: 4, Reversed: 1 },
            TimeSpan.FromSeconds(30), "the projection to hold the day");
        // The provider's file names requests by the ids the provider got: the switch's, not the originators'.
        var ids = new Dictionary<string, string>();
        foreach (var request in new[] { matched, amountOff, reversed, unreported, claimedTwice })
        {
            ids[request.Id!] = (await fixture.Ledger.ViewAsync(request.Id!))!.UpstreamRequestId!;
        }

        var stranger = Guid.NewGuid().ToString();
        var file = string.Join('\n',
            "requestId,providerReference,amountMinor,currency,status",
            ids[matched.Id!] + ",,1500,710,REDEEMED",
            ids[amountOff.Id!] + ",,2499,710,REDEEMED",
            ids[reversed.Id!] + ",,3500,710,REDEEMED",
            stranger + ",P4,500,710,REDEEMED",
            ids[claimedTwice.Id!] + ",,5500,710,REDEEMED",
            ids[claimedTwice.Id!].ToUpperInvariant() + ",,5500,710,REDEEMED");

        using var response = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/settlements/{SwitchFixture.SettlementProvider}",
            new StringContent(file, Encoding.UTF8, "text/csv"));
        var report = await response.Content.ReadFromJsonAsync<MatchReport>(AdviceOperations.Json);

        report!.Rows.Select(r => (r.Result, r.RequestId.ToLowerInvariant())).Should().BeEquivalentTo(new[]
        {
            (MatchResult.Matched, ids[matched.Id!]),
            (MatchResult.AmountMismatch, ids[amountOff.Id!]),
            (MatchResult.StateMismatch, ids[reversed.Id!]),
            (MatchResult.MissingAtSwitch, stranger),
            (MatchResult.Matched, ids[claimedTwice.Id!]),
            (MatchResult.Duplicate, ids[claimedTwice.Id!]),
            (MatchResult.MissingAtProvider, ids[unreported.Id!]),
        });
        report.Rows.Where(r => r.Result != MatchResult.MissingAtSwitch).Should().AllSatisfy(r => r.ClientId.Should().Be(SwitchFixture.ClientId),
            "every row names the redemption as its originator knows it");
        report.Matched.Should().Be(2);
        report.Breaks.Should().Be(5);
    }

    [Fact]
    public async Task A_field_a_spreadsheet_would_run_as_a_formula_is_escaped_in_the_csv()
    {
        // A provider's file is outside text that reaches finance's spreadsheet through the report.
        var file = "requestId,providerReference,amountMinor,currency,status\n=1+2,@SUM(A1),500,710,REDEEMED";

        using var response = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/settlements/{SwitchFixture.SettlementProvider}?format=csv",
            new StringContent(file, Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        text.Should().Contain("'=1+2").And.Contain("'@SUM(A1)");
        text.Split('\n').Should().NotContain(line => line.StartsWith("MissingAtSwitch,=", StringComparison.Ordinal) || line.Contains(",@SUM", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_settlement_file_that_is_not_valid_is_refused_with_a_clear_problem()
    {
        using var response = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/settlements/{SwitchFixture.SettlementProvider}",
            new StringContent("requestId,amountMinor\nx,notanumber\n", Encoding.UTF8, "text/csv"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Rebuilding_the_projection_from_the_events_gives_identical_views()
    {
        const string merchant = "REBUILDMERCH001";
        var confirmed = await RedeemAsync(1_000, merchant);
        (await _client.ConfirmAsync(Messages.Confirmation(confirmed.Id!))).Status.Should().Be(202);
        await RedeemAsync(2_000, merchant);
        await Eventually.ReturnsAsync(() => DayAsync(), r => Row(r, SwitchFixture.SimulatedProvider, merchant) is { Confirmed: 1, Approved: 1 },
            TimeSpan.FromSeconds(30), "the projection to hold the day");
        var before = await ViewsAsync();

        using (var daemon = await fixture.Store.BuildProjectionDaemonAsync())
        {
            await daemon.RebuildProjectionAsync<RedemptionViewProjection>(CancellationToken.None);
        }

        var after = await ViewsAsync();
        after.Should().Equal(before);
    }

    private async Task<List<string>> ViewsAsync()
    {
        await using var session = fixture.Store.QuerySession();
        var views = await session.Query<RedemptionView>().OrderBy(v => v.Id).ToListAsync();
        return views.Select(v => System.Text.Json.JsonSerializer.Serialize(v)).ToList();
    }

    private async Task<EventLedger.Suv.Messages.RedemptionRequest> RedeemAsync(long value, string merchant, string? receiver = null)
    {
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync(value), receiverId: receiver, merchantId: merchant);
        (await _client.RedeemAsync(request)).Status.Should().Be(201);
        return request;
    }

    private Task<DayReport> DayAsync() => FinanceFixture.DayAsync(_ops, Today);

    /// <summary>The day's totals as they stand now, whether or not another test closed the day.</summary>
    private static DayTotal? Row(DayReport report, string provider, string merchant) =>
        Row(report.CurrentTotals ?? report.Totals, provider, merchant);

    private static DayTotal? Row(IReadOnlyList<DayTotal> totals, string provider, string merchant) =>
        totals.SingleOrDefault(t => t.Provider == provider && t.Merchant == merchant);
}

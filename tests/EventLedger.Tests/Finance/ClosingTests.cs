using System.Net;
using System.Net.Http.Json;
using EventLedger.Finance;
using EventLedger.Operations;
using EventLedger.Tests.Infrastructure;
using JasperFx.Events.Daemon;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.Finance;

/// <summary>A database of its own: the day closed here is closed by no other test.</summary>
[CollectionDefinition(Name)]
public sealed class ClosingGroup : ICollectionFixture<FinanceFixture>
{
    public const string Name = "closing";
}

/// <summary>What a close freezes: exactly the events it hashes, all of them, with sums that cannot overflow.</summary>
[Collection(ClosingGroup.Name)]
public sealed class ClosingTests(FinanceFixture fixture) : IDisposable
{
    private const string Merchant = "CLOSINGMERCH001";
    private static readonly string Today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    private readonly HttpClient _client = fixture.Client();
    private readonly HttpClient _ops = fixture.OperatorClient();

    public void Dispose()
    {
        _client.Dispose();
        _ops.Dispose();
    }

    [Fact]
    public async Task A_day_is_not_closed_while_the_view_trails_and_its_close_freezes_exact_totals_at_the_int64_limit()
    {
        var coordinator = fixture.Host.Services.GetRequiredService<IProjectionCoordinator>();
        HttpResponseMessage early;
        await coordinator.PauseAsync();
        try
        {
            foreach (var value in new[] { long.MaxValue - 1, long.MaxValue })
            {
                var request = Messages.Redemption(await fixture.ProvisionVoucherAsync(value), merchantId: Merchant);
                (await _client.RedeemAsync(request)).Status.Should().Be(201);
            }

            early = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/close", null);
        }
        finally
        {
            await coordinator.ResumeAsync();
        }

        early.StatusCode.Should().Be(HttpStatusCode.Conflict, "a close now would leave out redemptions the view has not applied yet");
        (await early.Content.ReadAsStringAsync()).Should().Contain("try again");
        var expected = (Int128)(long.MaxValue - 1) + long.MaxValue;
        await Eventually.ReturnsAsync(DayAsync, r => Row(r.Totals)?.ApprovedAmount == expected, TimeSpan.FromSeconds(30), "the view to apply the day");

        using var close = await _ops.PostAsync($"/ops/v1/finance/days/{Today}/close", null);
        var closed = await close.Content.ReadFromJsonAsync<ClosedDay>(AdviceOperations.Json);
        var after = await DayAsync();

        close.StatusCode.Should().Be(HttpStatusCode.Created);
        Row(closed!.Totals)!.ApprovedAmount.Should().Be(expected, "two amounts at the int64 limit add up exactly");
        Row(closed.Totals)!.NetAmount.Should().Be(expected);
        after.ChangedSinceClose.Should().BeFalse("the totals frozen are those of the events hashed");
        after.EventsHash.Should().Be(closed.EventsHash);
        after.EventCount.Should().Be(closed.EventCount);
    }

    private Task<DayReport> DayAsync() => FinanceFixture.DayAsync(_ops, Today);

    private static DayTotal? Row(IReadOnlyList<DayTotal> totals) =>
        totals.SingleOrDefault(t => t.Provider == SwitchFixture.SimulatedProvider && t.Merchant == Merchant);
}

using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using Marten;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// Reads a switch's ledger from outside the switch (it runs as a child process): streams, views and
/// deliveries, with the switch's own store settings and no schema changes.
/// </summary>
public sealed class LedgerReader(string connectionString) : IDisposable
{
    // The switch's own store settings (LedgerStore), never a copy of them.
    private readonly DocumentStore _store = DocumentStore.For(opts =>
        global::EventLedger.Hosting.LedgerStore.Configure(opts, connectionString, applySchema: false));

    public async Task<IReadOnlyList<object>> EventsAsync(string clientId, string requestId)
    {
        await using var session = _store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(Redemption.StreamKey(clientId, requestId));
        return stream.Select(e => e.Data).ToList();
    }

    public Task<IReadOnlyList<object>> EventsAsync(string requestId) => EventsAsync(SwitchFixture.ClientId, requestId);

    public async Task<IReadOnlyList<ProviderDelivery>> DeliveriesAsync(DeliveryStatus? status = null)
    {
        await using var session = _store.QuerySession();
        var query = session.Query<ProviderDelivery>();
        return status is { } s ? await query.Where(d => d.Status == s).ToListAsync() : await query.ToListAsync();
    }

    public async Task<IReadOnlyList<ProviderDelivery>> DeliveriesOfAsync(string requestId)
    {
        var key = Redemption.StreamKey(SwitchFixture.ClientId, requestId);
        await using var session = _store.QuerySession();
        return await session.Query<ProviderDelivery>().Where(d => d.StreamKey == key).ToListAsync();
    }

    public async Task<RedemptionView?> ViewAsync(string requestId)
    {
        await using var session = _store.QuerySession();
        return await session.LoadAsync<RedemptionView>(Redemption.StreamKey(SwitchFixture.ClientId, requestId));
    }

    /// <summary>The stream's current version, 0 when it does not exist.</summary>
    public async Task<long> VersionAsync(string requestId)
    {
        await using var session = _store.QuerySession();
        return (await session.Events.FetchStreamStateAsync(Redemption.StreamKey(SwitchFixture.ClientId, requestId)))?.Version ?? 0;
    }

    /// <summary>Waits for the provider's acknowledgement of an advice, then checks the ledger holds it once.</summary>
    public async Task AckedOnceAsync(string requestId, string adviceId, TimeSpan patience)
    {
        var events = await Eventually.ReturnsAsync(() => EventsAsync(requestId),
            e => e.OfType<ProviderAdviceAcked>().Any(a => a.AdviceId == adviceId), patience, $"the acknowledgement of {adviceId}");
        events.OfType<ProviderAdviceAcked>().Should().ContainSingle(a => a.AdviceId == adviceId, "an advice is acknowledged exactly once in the ledger");
    }

    public void Dispose() => _store.Dispose();
}

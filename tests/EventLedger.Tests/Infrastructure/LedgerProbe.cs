using EventLedger.Redemptions;
using EventLedger.StoreAndForward;
using Marten;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// What a test reads of a switch's ledger: streams, views and deliveries. One probe for every
/// kind of test: over the in-process switch's own store, or, for a switch running as a child
/// process, over a store of its own with the switch's settings (<c>LedgerStore</c>) and no schema
/// changes. Ids are <see cref="SwitchFixture.ClientId"/>'s unless said.
/// </summary>
public sealed class LedgerProbe : IDisposable
{
    private readonly IDocumentStore _store;
    private readonly bool _owned;

    /// <summary>Over an in-process switch's store (not disposed with the probe).</summary>
    public LedgerProbe(IDocumentStore store) => _store = store;

    /// <summary>Over the database of a switch running elsewhere.</summary>
    public LedgerProbe(string connectionString)
        : this(DocumentStore.For(opts => global::EventLedger.Hosting.LedgerStore.Configure(opts, connectionString, applySchema: false))) =>
        _owned = true;

    /// <summary>Every event of a redemption stream, in order.</summary>
    public async Task<IReadOnlyList<object>> EventsAsync(string clientId, string requestId)
    {
        await using var session = _store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(Redemption.StreamKey(clientId, requestId));
        return stream.Select(e => e.Data).ToList();
    }

    public Task<IReadOnlyList<object>> EventsAsync(string requestId) => EventsAsync(SwitchFixture.ClientId, requestId);

    /// <summary>Waits until the stream holds an event of this type meeting the condition.</summary>
    public async Task<T> EventuallyAsync<T>(string requestId, Func<T, bool>? condition = null, int timeoutSeconds = 20) where T : class
    {
        var events = await Eventually.ReturnsAsync(() => EventsAsync(requestId),
            e => e.OfType<T>().Any(condition ?? (_ => true)), TimeSpan.FromSeconds(timeoutSeconds), $"a {typeof(T).Name} in {requestId}");
        return events.OfType<T>().First(condition ?? (_ => true));
    }

    /// <summary>The view of a redemption, as the projection has it now.</summary>
    public async Task<RedemptionView?> ViewAsync(string requestId)
    {
        await using var session = _store.QuerySession();
        return await session.LoadAsync<RedemptionView>(Redemption.StreamKey(SwitchFixture.ClientId, requestId));
    }

    /// <summary>The store-and-forward state of one advice of a redemption.</summary>
    public async Task<ProviderDelivery?> DeliveryAsync(string requestId, string adviceId)
    {
        await using var session = _store.QuerySession();
        return await session.LoadAsync<ProviderDelivery>(ProviderDelivery.IdFor(Redemption.StreamKey(SwitchFixture.ClientId, requestId), adviceId));
    }

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

    public void Dispose()
    {
        if (_owned)
        {
            _store.Dispose();
        }
    }
}

using EventLedger.Hosting;
using EventLedger.Accounts;
using EventLedger.Redemptions;
using EventLedger.Security;
using EventLedger.StoreAndForward;
using EventLedger.Vouchers;
using Marten;
using Wolverine.Http;

namespace EventLedger.Operations;

/// <summary>One event of a transaction's timeline, as operators see it (codes were masked when recorded).</summary>
public sealed record TimelineEntry(long Sequence, long Version, DateTimeOffset Time, string Type, object Data);

public sealed record Timeline(RedemptionView? Transaction, IReadOnlyList<TimelineEntry> Events, IReadOnlyList<AdviceView> Deliveries);

public sealed record VoucherSearch(string? VoucherCode);

public sealed record VoucherHistory(string VoucherCodeMasked, IReadOnlyList<RedemptionView> Redemptions, IReadOnlyList<VoucherLookedUp> Lookups);

/// <summary>Operators' audit: search transactions, read one's full timeline, find every use of a voucher.</summary>
public static class Audit
{
    /// <summary>Transactions by time received, newest first, filtered by whatever is given.</summary>
    [WolverineGet("/ops/v1/transactions", OperationId = "searchTransactions")]
    public static async Task<IResult> Search(HttpContext context, IDocumentStore store, TimeProvider time)
    {
        var q = context.Request.Query;
        var (query, error) = TransactionQuery.Parse(key => q[key].ToString(), time.GetUtcNow(), voucherCodeHash: null);
        if (query is null)
        {
            return Results.Problem(error, statusCode: 400);
        }

        await using var session = store.QuerySession();
        return Results.Json(await SearchAsync(session, query, context.RequestAborted), AdviceOperations.Json);
    }

    public static async Task<IReadOnlyList<RedemptionView>> SearchAsync(IQuerySession session, TransactionQuery query, CancellationToken ct)
    {
        var views = session.Query<RedemptionView>().Where(v => v.RequestedAt >= query.From && v.RequestedAt < query.To);
        if (query.Client is { } client)
        {
            views = views.Where(v => v.ClientId == client);
        }

        if (query.Merchant is { } merchant)
        {
            views = views.Where(v => v.MerchantId == merchant);
        }

        if (query.Terminal is { } terminal)
        {
            views = views.Where(v => v.TerminalId == terminal);
        }

        if (query.Provider is { } provider)
        {
            views = views.Where(v => v.ProviderId == provider);
        }

        if (query.Status is { } status)
        {
            views = views.Where(v => v.Status == status);
        }

        if (query.UpstreamRequestId is { } upstream)
        {
            // The id a provider quotes (its settlement file, its support desk) finds the one redemption it belongs to.
            views = views.Where(v => v.UpstreamRequestId == upstream);
        }

        if (query.RequestId is { } requestId)
        {
            // The originator's id, whichever client sent it (stream keys end in it, lower-cased), or the provider's.
            var suffix = "-" + requestId;
            views = views.Where(v => v.Id.EndsWith(suffix) || v.UpstreamRequestId == requestId);
        }

        if (query.VoucherCodeHash is { } hash)
        {
            views = views.Where(v => v.VoucherCodeHash == hash);
        }

        // The id breaks ties, so that pages neither repeat nor skip redemptions received in the same instant.
        return await views.OrderByDescending(v => v.RequestedAt).ThenByDescending(v => v.Id).Skip(query.Offset).Take(query.Limit).ToListAsync(ct);
    }

    /// <summary>Largest voucher search body read.</summary>
    public const int MaxSearchBytes = 4 * 1024;

    private static async Task<VoucherSearch?> ReadSearchAsync(HttpRequest request, CancellationToken ct)
    {
        if (await Suv.SuvHttp.ReadBoundedAsync(request.Body, MaxSearchBytes, ct) is not { } body)
        {
            return null;
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<VoucherSearch>(body.Span, AdviceOperations.Json);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Every event of one transaction with its sequence, time, type and data, and its advice deliveries.</summary>
    [WolverineGet("/ops/v1/transactions/{clientId}/{requestId}", OperationId = "transactionTimeline")]
    public static async Task<IResult> TimelineOf(string clientId, string requestId, HttpContext context, IDocumentStore store, TimeProvider time)
    {
        await using var session = store.QuerySession();
        return await TimelineAsync(session, Redemption.StreamKey(clientId, requestId), time.GetUtcNow(), context.RequestAborted) is { } timeline
            ? Results.Json(timeline, AdviceOperations.Json)
            : Results.Problem("no such transaction", statusCode: 404);
    }

    /// <summary>The timeline of the redemption stream with this key, or null when there is none.</summary>
    public static async Task<Timeline?> TimelineAsync(IQuerySession session, string key, DateTimeOffset now, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(key, token: ct);
        if (events.Count == 0)
        {
            return null;
        }

        var view = await session.LoadAsync<RedemptionView>(key, ct);
        var deliveries = await session.Query<ProviderDelivery>().Where(d => d.StreamKey == key).ToListAsync(ct);
        return new Timeline(
            view,
            events.Select(e => new TimelineEntry(e.Sequence, e.Version, e.Timestamp, e.Data.GetType().Name, e.Data)).ToList(),
            deliveries.Select(d => AdviceOperations.View(d, now)).ToList());
    }

    /// <summary>
    /// Every redemption and lookup of one voucher, matched through the keyed hash. The code travels
    /// in the body, never in a URL that proxies and access logs would keep.
    /// </summary>
    [WolverinePost("/ops/v1/vouchers/search", OperationId = "searchVoucher")]
    [SuvBody(typeof(VoucherSearch))]
    public static async Task<IResult> Voucher(HttpContext context, IDocumentStore store, VoucherCodes codes)
    {
        // Read here rather than bound by the framework, which logs every malformed body as an error
        // with its stack trace: a client's mistake is answered, not logged.
        var search = await ReadSearchAsync(context.Request, context.RequestAborted);
        if (search?.VoucherCode is not { Length: > 0 and <= 40 } code || Suv.SuvReader.HasControlCharacter(code))
        {
            return Results.Problem("the body must be {\"voucherCode\": \"…\"}, the code 1..40 characters", statusCode: 400);
        }

        var hash = codes.Hash(code);
        await using var session = store.QuerySession();
        var redemptions = await session.Query<RedemptionView>().Where(v => v.VoucherCodeHash == hash)
            .OrderByDescending(v => v.RequestedAt).Take(AdviceOperations.MaxPageSize).ToListAsync(context.RequestAborted);
        var lookups = await session.Events.QueryRawEventDataOnly<VoucherLookedUp>().Where(l => l.VoucherCodeHash == hash)
            .OrderByDescending(l => l.At).Take(AdviceOperations.MaxPageSize).ToListAsync(context.RequestAborted);
        return Results.Json(new VoucherHistory(VoucherCodes.Mask(code), redemptions, lookups), AdviceOperations.Json);
    }
}

using EventLedger.Hosting;
using System.Globalization;
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
    public const int MaxOffset = 100_000;

    /// <summary>Transactions by time received, newest first, filtered by whatever is given.</summary>
    [WolverineGet("/ops/v1/transactions", OperationId = "searchTransactions")]
    public static async Task<IResult> Search(HttpContext context, IDocumentStore store, TimeProvider time)
    {
        var q = context.Request.Query;
        var now = time.GetUtcNow();
        if (!TryTime(q["from"], now.AddDays(-1), out var from) || !TryTime(q["to"], now.AddMinutes(1), out var to) || from >= to)
        {
            return Results.Problem("from and to must be RFC 3339 times with from before to (default: the last 24 hours)", statusCode: 400);
        }

        if (!TryInt(q["limit"], AdviceOperations.DefaultPageSize, 1, AdviceOperations.MaxPageSize, out var limit) ||
            !TryInt(q["offset"], 0, 0, MaxOffset, out var offset))
        {
            return Results.Problem($"limit must be 1..{AdviceOperations.MaxPageSize}, offset 0..{MaxOffset}", statusCode: 400);
        }

        TransactionStatus? status = null;
        if (q["status"].ToString() is { Length: > 0 } statusText)
        {
            if (!Enum.TryParse<TransactionStatus>(statusText, ignoreCase: true, out var parsed))
            {
                return Results.Problem($"status must be one of {string.Join(", ", Enum.GetNames<TransactionStatus>())}", statusCode: 400);
            }

            status = parsed;
        }

        await using var session = store.QuerySession();
        var views = session.Query<RedemptionView>().Where(v => v.RequestedAt >= from && v.RequestedAt < to);
        if (q["client"].ToString() is { Length: > 0 } client)
        {
            views = views.Where(v => v.ClientId == client);
        }

        if (q["merchant"].ToString() is { Length: > 0 } merchant)
        {
            views = views.Where(v => v.MerchantId == merchant);
        }

        if (q["terminal"].ToString() is { Length: > 0 } terminal)
        {
            views = views.Where(v => v.TerminalId == terminal);
        }

        if (q["provider"].ToString() is { Length: > 0 } provider)
        {
            views = views.Where(v => v.ProviderId == provider);
        }

        if (status is { } s)
        {
            views = views.Where(v => v.Status == s);
        }

        if (q["upstreamRequestId"].ToString() is { Length: > 0 } upstream)
        {
            // The id a provider quotes (its settlement file, its support desk) finds the one redemption it belongs to.
            var id = upstream.Trim().ToLowerInvariant();
            views = views.Where(v => v.UpstreamRequestId == id);
        }

        var page = await views.OrderByDescending(v => v.RequestedAt).Skip(offset).Take(limit).ToListAsync(context.RequestAborted);
        return Results.Json(page, AdviceOperations.Json);
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
        var key = Redemption.StreamKey(clientId, requestId);
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(key, token: context.RequestAborted);
        if (events.Count == 0)
        {
            return Results.Problem("no such transaction", statusCode: 404);
        }

        var view = await session.LoadAsync<RedemptionView>(key, context.RequestAborted);
        var deliveries = await session.Query<ProviderDelivery>().Where(d => d.StreamKey == key).ToListAsync(context.RequestAborted);
        var now = time.GetUtcNow();
        return Results.Json(new Timeline(
            view,
            events.Select(e => new TimelineEntry(e.Sequence, e.Version, e.Timestamp, e.Data.GetType().Name, e.Data)).ToList(),
            deliveries.Select(d => AdviceOperations.View(d, now)).ToList()), AdviceOperations.Json);
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

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return string.IsNullOrEmpty(text) || (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }
}

using EventLedger.Hosting;
using System.Globalization;
using EventLedger.Accounts;
using EventLedger.Clients;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;
using EventLedger.Suv;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace EventLedger.Redemptions;

/// <summary>How lookupRedemption decides a redemption has settled (section <c>Lookups</c>).</summary>
public sealed class LookupOptions : ICheckedSettings
{
    public const string Section = "Lookups";

    /// <summary>Time after the outcome became final before a lookup serves it: the provider's processing period.</summary>
    public int ProcessingPeriodMs { get; set; } = 10_000;

    /// <summary>The <c>Retry-After</c> sent with "still processing".</summary>
    public int RetryAfterSeconds { get; set; } = 2;

    /// <summary>
    /// How often the projection daemon looks for new events to apply to the view lookups read.
    /// Lower is fresher and costs more small batches (docs/benchmarks.md measures both ways).
    /// </summary>
    public int ProjectionPollingMs { get; set; } = 100;

    public void Check()
    {
        Settings.Within($"{Section}:ProcessingPeriodMs", ProcessingPeriodMs, 0, 3_600_000);
        Settings.Within($"{Section}:RetryAfterSeconds", RetryAfterSeconds, 1, 3_600);
        Settings.Within($"{Section}:ProjectionPollingMs", ProjectionPollingMs, 10, 60_000);
    }
}

/// <summary>
/// lookupRedemption: the original answer, served only from the asynchronous projection and only
/// once the redemption has settled; "still processing" (202 with Retry-After) before.
/// </summary>
public static class LookupRedemption
{
    public const string SequenceHeader = "X-EventLedger-Event-Sequence";
    public const string AsOfHeader = "X-EventLedger-As-Of";

    [WolverineGet("/suv/v1/redemptions/{requestId}", OperationId = "lookupRedemption")]
    [ProducesResponseType(typeof(RedemptionResponse), 200)]
    [ProducesResponseType(202)]
    [ProducesResponseType(typeof(ErrorDetail), 400)]
    [ProducesResponseType(403)]
    [ProducesResponseType(404)]
    public static async Task<IResult> Get(
        string requestId, HttpContext context, IDocumentStore store, LookupOptions options, Hosting.LedgerDatabase database,
        AccountDirectory<OriginatorClient> clients, TimeProvider time)
    {
        if (!Patterns.Uuid().IsMatch(requestId))
        {
            return SuvHttp.Error(400, SuvReader.FormatErrorDetail(Guid.NewGuid().ToString(),
                [new Suv.Messages.FormatError("requestId", "requestId must match \"8-4-4-4-12 hex\"", requestId)]));
        }

        var key = Redemption.StreamKey(context.Originator().Id, requestId);
        await using var session = store.QuerySession();
        var stream = await session.Events.FetchStreamStateAsync(key, context.RequestAborted);
        if (stream is null)
        {
            return await UsedByAnotherClientAsync(database, clients, context.Originator().Id, requestId, context.RequestAborted)
                ? Results.StatusCode(403)
                : Results.StatusCode(404);
        }

        var view = await session.LoadAsync<RedemptionView>(key, context.RequestAborted);
        switch (Settle(view, stream.Version, options, time.GetUtcNow()))
        {
            case Settling.NeverRequested:
                return Results.StatusCode(404);
            case Settling.Settled:
                context.Response.Headers[SequenceHeader] = view!.LastSequence.ToString(CultureInfo.InvariantCulture);
                context.Response.Headers[AsOfHeader] = view.LastEventAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                // The original answer, byte for byte; an approval is 200 here (the redemption exists now).
                var status = view.AnswerStatus is >= 200 and < 300 ? 200 : view.AnswerStatus!.Value;
                return Results.Text(view.AnswerJson!, "application/json", System.Text.Encoding.UTF8, status);
            default:
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return Results.StatusCode(202);
        }
    }

    public enum Settling
    {
        StillProcessing,
        Settled,
        NeverRequested,
    }

    /// <summary>
    /// Settled: the outcome is final as far as the switch knows, the projection has applied every
    /// event of the stream, and the processing period has passed since the outcome became final.
    /// </summary>
    public static Settling Settle(RedemptionView? view, long streamVersion, LookupOptions options, DateTimeOffset now)
    {
        if (view is { Outcome: RedemptionOutcome.NoRequest } && view.LastVersion >= streamVersion)
        {
            return Settling.NeverRequested;
        }

        return view is { OutcomeFinal: true, FinalAt: { } final } && view.LastVersion >= streamVersion &&
               now >= final.AddMilliseconds(options.ProcessingPeriodMs)
            ? Settling.Settled
            : Settling.StillProcessing;
    }

    /// <summary>
    /// Whether another configured client has a redemption with this request id: one primary-key
    /// lookup per client in the streams table (stream keys are client and lower-cased id), never a
    /// scan of the ledger. The caller's own is excluded: it may have been started since its absence
    /// was read (a lookup racing its own redemption), and is not another's.
    /// </summary>
    private static async Task<bool> UsedByAnotherClientAsync(
        Hosting.LedgerDatabase database, AccountDirectory<OriginatorClient> clients, string ownClientId, string requestId, CancellationToken ct)
    {
        var keys = clients.Ids.Where(id => id != ownClientId).Select(id => Redemption.StreamKey(id, requestId)).ToArray();
        if (keys.Length == 0)
        {
            return false;
        }

        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(LedgerSql.AnyStreamExists, connection);
        command.Parameters.AddWithValue("keys", keys);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}

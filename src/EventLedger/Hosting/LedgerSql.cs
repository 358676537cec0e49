namespace EventLedger.Hosting;

/// <summary>
/// Every raw query the switch runs, named, over the one schema. Everything else goes through
/// Marten's sessions. Each of these reads what Marten's API would reach only by a scan or a
/// round trip per item; why each exists is said where it is used.
/// </summary>
public static class LedgerSql
{
    private const string Schema = LedgerStore.Schema;

    /// <summary>The last event sequence number handed out: the top of projection lag.</summary>
    public const string LastEventSequence = $"select last_value from {Schema}.mt_events_sequence";

    /// <summary>Every event of the streams <c>@ids</c>, in order, as stored: finance's day read, in one statement.</summary>
    public const string EventsOfStreams =
        $"select stream_id, version, type, data::text, seq_id, timestamp, mt_dotnet_type from {Schema}.mt_events " +
        "where stream_id = any(@ids) order by stream_id, version";

    /// <summary>
    /// Whether a stream started before <c>@to</c> by an event of the types <c>@types</c> lies past sequence
    /// <c>@applied</c>: a view that trails a day. Only the events that start the view's streams count: a
    /// day's close or a settlement match starts a stream of its own that no view waits for.
    /// </summary>
    public const string StreamStartedPast =
        $"select exists(select 1 from {Schema}.mt_events where seq_id > @applied and version = 1 and timestamp < @to and type = any(@types))";

    /// <summary>Whether any of the streams <c>@keys</c> exists: a primary-key probe.</summary>
    public const string AnyStreamExists = $"select exists(select 1 from {Schema}.mt_streams where id = any(@keys))";

    /// <summary>Pending advice deliveries per provider, with the oldest one's time queued.</summary>
    public const string PendingDeliveriesByProvider = $"""
        select data->>'providerId', count(*), min((data->>'queuedAt')::timestamptz)
        from {Schema}.mt_doc_providerdelivery
        where data->>'status' = 'Pending'
        group by 1
        """;

    /// <summary>Advice deliveries waiting or refused, per provider and status, with the oldest one's time queued: the console's backlog.</summary>
    public const string DeliveryBacklog = $"""
        select data->>'providerId', data->>'status', count(*), min((data->>'queuedAt')::timestamptz)
        from {Schema}.mt_doc_providerdelivery
        where data->>'status' in ('Pending', 'Held', 'Refused')
        group by 1, 2
        order by 1, 2
        """;

    /// <summary>Redemptions received per minute since <c>@since</c>, over the view's index on the time received.</summary>
    public const string RedemptionsPerMinute = $"""
        select date_trunc('minute', {Schema}.mt_immutable_timestamptz(data ->> 'requestedAt')), count(*)
        from {Schema}.mt_doc_redemptionview
        where {Schema}.mt_immutable_timestamptz(data ->> 'requestedAt') >= @since
        group by 1
        order by 1
        """;

    /// <summary>The database answers at all.</summary>
    public const string Ping = "select 1";

    /// <summary>
    /// Takes the two-key advisory lock (<paramref name="lockClass"/>, hash of <c>@key</c>) for the
    /// rest of the transaction, waiting at most <paramref name="timeoutSeconds"/>.
    /// </summary>
    public static string TransactionLock(int lockClass, int timeoutSeconds) =>
        FormattableString.Invariant($"set local lock_timeout = '{timeoutSeconds}s'; select pg_advisory_xact_lock({lockClass}, hashtext(@key))");
}

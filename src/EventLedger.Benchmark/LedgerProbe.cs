using Npgsql;

namespace EventLedger.Benchmark;

/// <summary>A statement of the switch's own as pg_stat_statements saw it over the whole run.</summary>
public sealed record StatementStats(string Query, long Calls, double TotalMs, double MeanMs, long Rows);

/// <summary>Reads the switch's database directly, so that what is measured does not depend on the switch reporting on itself.</summary>
public sealed class LedgerProbe(string connectionString)
{
    /// <summary>
    /// Milliseconds since the oldest event the redemption view has not yet applied was appended
    /// (0 when caught up): how stale a lookup could be right now.
    /// </summary>
    public async Task<double> ProjectionLagMsAsync(CancellationToken ct)
    {
        const string sql = """
            select coalesce(extract(epoch from clock_timestamp() - min(e.timestamp)) * 1000, 0)::float8
            from ledger.mt_events e
            where e.seq_id > coalesce((select max(last_seq_id) from ledger.mt_event_progression where name like 'RedemptionView%'), 0)
            """;
        return await ScalarAsync<double>(sql, ct);
    }

    public async Task<(long Pending, long Acknowledged)> DeliveriesAsync(CancellationToken ct)
    {
        const string sql = """
            select count(*) filter (where data->>'status' = 'Pending'), count(*) filter (where data->>'status' = 'Acknowledged')
            from ledger.mt_doc_providerdelivery
            """;
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public Task<long> EventCountAsync(CancellationToken ct) => ScalarAsync<long>("select count(*) from ledger.mt_events", ct);

    /// <summary>The last sequence the redemption view has applied; a rebuild starts it from zero.</summary>
    public Task<long> ViewProgressAsync(CancellationToken ct) =>
        ScalarAsync<long>("select coalesce(max(last_seq_id), 0) from ledger.mt_event_progression where name like 'RedemptionView%'", ct);

    public async Task ResetStatementsAsync(CancellationToken ct)
    {
        await ScalarAsync<object>("create extension if not exists pg_stat_statements", ct);
        await ScalarAsync<object>("select pg_stat_statements_reset()", ct);
    }

    /// <summary>The statements that took most of the database's time, heaviest first.</summary>
    public async Task<IReadOnlyList<StatementStats>> TopStatementsAsync(int count, CancellationToken ct)
    {
        const string sql = """
            select left(regexp_replace(query, '\s+', ' ', 'g'), 160), calls, total_exec_time, mean_exec_time, rows
            from pg_stat_statements
            where dbid = (select oid from pg_database where datname = current_database())
            order by total_exec_time desc limit @count
            """;
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("count", count);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var top = new List<StatementStats>();
        while (await reader.ReadAsync(ct))
        {
            top.Add(new StatementStats(reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetInt64(4)));
        }

        return top;
    }

    private async Task<T> ScalarAsync<T>(string sql, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        return connection;
    }
}

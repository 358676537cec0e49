using System.Globalization;
using System.Text.RegularExpressions;
using HdrHistogram;
using Npgsql;

namespace EventLedger.Benchmark;

/// <summary>PostgreSQL's own ceiling for a redeem-shaped transaction on the same server, from pgbench.</summary>
public sealed record BaselineResult(int Clients, double Tps, long Transactions, double P50, double P90, double P99, double P999, double Max);

/// <summary>
/// pgbench with a custom script shaped like the switch's redemption write: in one transaction,
/// lock the stream's row, insert an event-like jsonb row, update the state row, insert an
/// outbox-like row. The tables are sized like a busy day (100 000 streams) so locks rarely collide.
/// </summary>
public static partial class Baseline
{
    public const string Database = "baseline";

    private const string Schema = """
        drop table if exists bench_state, bench_events, bench_outbox;
        create table bench_state (id bigint primary key, version int not null, status text not null);
        create table bench_events (
            seq bigserial primary key, stream_id bigint not null, version int not null, data jsonb not null,
            at timestamptz not null default now(), unique (stream_id, version));
        create table bench_outbox (id bigserial primary key, body jsonb not null, at timestamptz not null default now());
        insert into bench_state select g, 0, 'new' from generate_series(1, 100000) g;
        """;

    private const string Script = """
        \set id random(1, 100000)
        BEGIN;
        SELECT version FROM bench_state WHERE id = :id::bigint FOR UPDATE;
        INSERT INTO bench_events (stream_id, version, data) SELECT :id::bigint, version + 1, jsonb_build_object('type', 'VoucherRedeemed', 'amount', 10000, 'currency', '710', 'voucher', md5(random()::text)) FROM bench_state WHERE id = :id::bigint;
        UPDATE bench_state SET version = version + 1, status = 'redeemed' WHERE id = :id::bigint;
        INSERT INTO bench_outbox (body) VALUES (jsonb_build_object('stream', :id::bigint, 'kind', 'confirmation'));
        END;
        """;

    public static async Task PrepareAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Schema, connection);
        await command.ExecuteNonQueryAsync();
        // VACUUM refuses to share a batch with other statements.
        await using var vacuum = new NpgsqlCommand("vacuum analyze bench_state", connection);
        await vacuum.ExecuteNonQueryAsync();
    }

    /// <summary>One pgbench run of <paramref name="seconds"/> at <paramref name="clients"/> connections; latencies from its per-transaction log.</summary>
    public static async Task<BaselineResult> RunAsync(string pgbench, string connectionString, int clients, int seconds, string work)
    {
        var directory = Directory.CreateDirectory(Path.Combine(work, $"pgbench-{clients}")).FullName;
        var script = Path.Combine(directory, "redeem.sql");
        await File.WriteAllTextAsync(script, Script);
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string>
        {
            ["PGHOST"] = target.Host!, ["PGPORT"] = target.Port.ToString(CultureInfo.InvariantCulture),
            ["PGUSER"] = target.Username!, ["PGPASSWORD"] = target.Password!, ["PGDATABASE"] = target.Database!,
        };
        string[] arguments =
        [
            "--no-vacuum", "--protocol=prepared", "--client", Text(clients), "--jobs", Text(Math.Min(clients, Environment.ProcessorCount)),
            "--time", Text(seconds), "--file", script, "--log", "--log-prefix", Path.Combine(directory, "log"),
        ];
        var output = await Child.RunAsync(pgbench, arguments, TimeSpan.FromSeconds(seconds + 120), environment, directory);
        var tps = TpsPattern().Match(output) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no tps:\n{output}");
        var latency = await ReadLatenciesAsync(directory);
        static double Ms(long micros) => micros / 1000.0;
        return new BaselineResult(clients, tps, latency.TotalCount,
            Ms(latency.GetValueAtPercentile(50)), Ms(latency.GetValueAtPercentile(90)), Ms(latency.GetValueAtPercentile(99)),
            Ms(latency.GetValueAtPercentile(99.9)), Ms(latency.GetMaxValue()));
    }

    /// <summary>pgbench's per-transaction log: "client transaction latency_us script epoch_s epoch_us" per line.</summary>
    private static async Task<LongHistogram> ReadLatenciesAsync(string directory)
    {
        var histogram = new LongHistogram(1, 60_000_000, 3);
        foreach (var file in Directory.EnumerateFiles(directory, "log.*"))
        {
            foreach (var line in await File.ReadAllLinesAsync(file))
            {
                var fields = line.Split(' ');
                if (fields.Length >= 3 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var micros))
                {
                    histogram.RecordValue(Math.Clamp(micros, 1, 60_000_000));
                }
            }
        }

        return histogram.TotalCount > 0 ? histogram : throw new InvalidOperationException($"pgbench wrote no transaction log in {directory}");
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsPattern();
}

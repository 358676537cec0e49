using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EventLedger.LocalPostgres;
using Npgsql;

namespace EventLedger.Benchmark;

/// <summary>The machine around a run: PostgreSQL's binaries, the migrations, what the machine is, and waiting for things to come up.</summary>
public sealed partial class BenchmarkRun
{
    /// <summary>Where pgbench and psql of the same server live: PATH may hold only links to pg_ctl and initdb.</summary>
    private static string ServerBinaries()
    {
        var bin = LocalPostgres.LocalPostgres.FindBinaries() ?? throw new PostgresBinariesNotFoundException("no PostgreSQL server binaries on this machine");
        var pgCtl = new FileInfo(Path.Combine(bin, "pg_ctl"));
        var real = Path.GetDirectoryName(pgCtl.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pgCtl.FullName)!;
        return File.Exists(Path.Combine(real, "pgbench")) && File.Exists(Path.Combine(real, "psql"))
            ? real
            : throw new PostgresBinariesNotFoundException($"pgbench and psql are not beside {pgCtl.FullName}");
    }

    /// <summary>migrations/ applied with psql, in order, the way docs/operations.md tells an operator to.</summary>
    private static async Task ApplyMigrationsAsync(string psql, string migrations, string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var environment = new Dictionary<string, string> { ["PGPASSWORD"] = target.Password! };
        foreach (var file in Directory.GetFiles(migrations, "*.sql").Where(f => !f.EndsWith(".drop.sql", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            await Child.RunAsync(psql, ["-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username!, "-d", target.Database!,
                "-v", "ON_ERROR_STOP=1", "-q", "-f", file], TimeSpan.FromMinutes(2), environment);
        }
    }

    private static async Task<Machine> MachineAsync(LocalPostgres.LocalPostgres postgres)
    {
        static string Field(string file, string key) =>
            File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(['=', ':'], 2)[1].Trim().Trim('"') ?? "?" : "?";
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var version = new NpgsqlCommand("show server_version", connection);
        return new Machine(Field("/proc/cpuinfo", "model name"), Environment.ProcessorCount, Field("/proc/meminfo", "MemTotal"),
            Field("/etc/os-release", "PRETTY_NAME"), RuntimeInformation.FrameworkDescription, "PostgreSQL " + await version.ExecuteScalarAsync());
    }

    private static async Task<bool> ListeningAsync(Uri url)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync("control/messages");
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"gave up waiting {timeout} for {what}");
            }

            await Task.Delay(100);
        }
    }
}

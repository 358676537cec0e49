using EventLedger.LocalPostgres;
using Npgsql;

namespace EventLedger.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL for the whole test run (or the server named by EVENTLEDGER_TEST_CONNECTION),
/// with a fresh database per fixture. Test clusters run with fsync off: they hold nothing worth keeping.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<Task<Func<string, string>>> Server = new(StartAsync);
    private static int _databases;
    private static int _clusters;
    private static readonly System.Collections.Concurrent.ConcurrentBag<LocalPostgres.LocalPostgres> Private = [];

    /// <summary>This run's folder: the shared cluster's data and any private clusters.</summary>
    private static string RunDirectory => Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}");

    /// <summary>
    /// A PostgreSQL of a test's own, for tests that stop and start it (fault injection), with one
    /// database; stopped and removed with the run's folder, or by the sweep of a killed run. Durable,
    /// as production is: without synchronous commit an immediate shutdown loses transactions that
    /// were already reported committed, which no switch could make up for.
    /// </summary>
    public static async Task<(LocalPostgres.LocalPostgres Server, string ConnectionString)> PrivateClusterAsync(string purpose)
    {
        await Server.Value; // sweeps abandoned runs first
        var directory = Path.Combine(RunDirectory, "clusters", $"{purpose}-{Interlocked.Increment(ref _clusters)}");
        var server = await LocalPostgres.LocalPostgres.StartAsync(new LocalPostgresOptions(directory, Port: 0, Durable: true));
        const string database = "ledger";
        Private.Add(server);
        await server.EnsureDatabaseAsync(database);
        return (server, server.ConnectionString(database));
    }

    public static async Task<string> NewDatabaseAsync(string purpose)
    {
        var connectionFor = await Server.Value;
        var name = $"test_{purpose}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(connectionFor("postgres"));
        await connection.OpenAsync();
        await using (var drop = new NpgsqlCommand($"drop database if exists {name} with (force)", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using (var create = new NpgsqlCommand($"create database {name}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        return connectionFor(name);
    }

    private static async Task<Func<string, string>> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("EVENTLEDGER_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return database => new NpgsqlConnectionStringBuilder(configured) { Database = database }.ConnectionString;
        }

        await SweepAbandonedAsync();
        var directory = RunDirectory;
        // The shared cluster's own directory is its owner's alone; the run's folder, which holds the
        // private clusters too, must stay passable for the server user.
        var server = await LocalPostgres.LocalPostgres.StartAsync(new LocalPostgresOptions(Path.Combine(directory, "shared"), Port: 0, Durable: false));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var cluster in Private.Append(server))
            {
                cluster.StopAsync().GetAwaiter().GetResult();
            }

            TryDelete(directory);
        };
        return server.ConnectionString;
    }

    private const string DirectoryPrefix = "eventledger-tests-";

    /// <summary>
    /// Clusters of test runs that were killed (so never stopped their server) are stopped and
    /// removed, so that an interrupted run leaves neither a server nor its files behind for long.
    /// </summary>
    private static async Task SweepAbandonedAsync()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            if (!int.TryParse(Path.GetFileName(directory)[DirectoryPrefix.Length..], out var pid) || IsRunning(pid))
            {
                continue;
            }

            var clusters = Directory.Exists(Path.Combine(directory, "clusters")) ? Directory.GetDirectories(Path.Combine(directory, "clusters")) : [];
            foreach (var cluster in clusters.Append(directory).Append(Path.Combine(directory, "shared"))
                         .Where(c => File.Exists(Path.Combine(c, "data", "postmaster.pid"))))
            {
                var abandoned = await LocalPostgres.LocalPostgres.StartAsync(new LocalPostgresOptions(cluster, Port: 0, Durable: false));
                await abandoned.StopAsync();
            }

            TryDelete(directory);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A cluster directory left behind in the temp folder is harmless.
        }
    }
}

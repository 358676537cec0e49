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
        var directory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}");
        var server = await LocalPostgres.LocalPostgres.StartAsync(new LocalPostgresOptions(directory, Port: 0, Durable: false));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
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

            if (File.Exists(Path.Combine(directory, "data", "postmaster.pid")))
            {
                var abandoned = await LocalPostgres.LocalPostgres.StartAsync(new LocalPostgresOptions(directory, Port: 0, Durable: false));
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

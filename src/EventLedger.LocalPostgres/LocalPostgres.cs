using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace EventLedger.LocalPostgres;

/// <summary>Where and how to run a private PostgreSQL cluster.</summary>
/// <param name="DataDirectory">Holds the cluster (data/), its log and its superuser password; survives restarts.</param>
/// <param name="Port">TCP port on 127.0.0.1; 0 picks a free one.</param>
/// <param name="Durable">False turns fsync off: only for throw-away test clusters, never for a ledger or a benchmark.</param>
/// <param name="Settings">Further server settings (<c>name=value</c>), e.g. the benchmark's pg_stat_statements.</param>
public sealed record LocalPostgresOptions(string DataDirectory, int Port, bool Durable = true, IReadOnlyList<string>? Settings = null);

/// <summary>Raised when no PostgreSQL server binaries can be found on this machine.</summary>
public sealed class PostgresBinariesNotFoundException(string message) : Exception(message);

/// <summary>
/// Starts (or adopts, after a crash of its owner) a private PostgreSQL from the binaries on the
/// machine: used by the switch's embedded default, the tests and the benchmark. As root it runs the
/// server as the <c>postgres</c> OS user, because PostgreSQL refuses to run as root.
/// </summary>
public sealed partial class LocalPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly string _clusterDirectory;
    private bool _stopped;
    private bool _durable = true;
    private IReadOnlyList<string> _settings = [];

    private LocalPostgres(string binDirectory, string dataDirectory, int port, string password)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _clusterDirectory = Path.Combine(dataDirectory, "data");
        Port = port;
        Password = password;
    }

    public int Port { get; }

    /// <summary>Where the server's Unix socket and log are: the data directory, its owner's alone.</summary>
    public string SocketDirectory => _dataDirectory;

    private string Password { get; }

    /// <summary>The newest installed server's bin directory, or null when none is installed.</summary>
    public static string? FindBinaries()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "initdb")));
        if (fromPath is not null)
        {
            return fromPath;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        return Directory.GetDirectories(debianRoot)
            .Select(dir => (Version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1, Bin: Path.Combine(dir, "bin")))
            .Where(x => x.Version > 0 && File.Exists(Path.Combine(x.Bin, "pg_ctl")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Bin)
            .FirstOrDefault();
    }

    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, CancellationToken ct = default)
    {
        var bin = FindBinaries() ?? throw new PostgresBinariesNotFoundException(
            "No PostgreSQL server found: install it (Debian: apt-get install postgresql) or set ConnectionStrings:Ledger.");
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        Directory.CreateDirectory(dataDirectory);
        OwnerOnly(dataDirectory);
        var password = await EnsurePasswordAsync(dataDirectory, ct);
        var clusterDirectory = Path.Combine(dataDirectory, "data");
        GrantToServerUser(dataDirectory);

        var probe = new LocalPostgres(bin, dataDirectory, options.Port, password);
        if (!File.Exists(Path.Combine(clusterDirectory, "PG_VERSION")))
        {
            await probe.InitDbAsync(ct);
        }

        await probe.AuthenticateEveryConnectionAsync(ct);

        var running = await probe.RunningPortAsync(ct);
        if (running is not null)
        {
            // A previous owner died without stopping it (kill -9): adopt the server rather than fail.
            return new LocalPostgres(bin, dataDirectory, running.Value, password);
        }

        var port = options.Port == 0 ? FreePort() : options.Port;
        var server = new LocalPostgres(bin, dataDirectory, port, password) { _durable = options.Durable, _settings = options.Settings ?? [] };
        await server.StartServerAsync(ct);
        return server;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Password = Password,
        Database = database,
    }.ConnectionString;

    public async Task EnsureDatabaseAsync(string database, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"create database {quoted}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await RunAsync("pg_ctl", ["stop", "-D", _clusterDirectory, "-m", "fast", "-w"], CancellationToken.None, throwOnError: false);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>
    /// Stops the server the way an operator or a crash would, for fault tests: <c>fast</c> disconnects
    /// every client and shuts down cleanly; <c>immediate</c> stops at once, leaving crash recovery to
    /// the next start. <see cref="StartAgainAsync"/> brings it back on the same port.
    /// </summary>
    public Task ShutDownAsync(bool immediate) =>
        RunAsync("pg_ctl", ["stop", "-D", _clusterDirectory, "-m", immediate ? "immediate" : "fast", "-w"], CancellationToken.None);

    public Task StartAgainAsync(CancellationToken ct = default) => StartServerAsync(ct);

    private async Task InitDbAsync(CancellationToken ct)
    {
        var passwordFile = Path.Combine(_dataDirectory, ".initdb-password");
        await File.WriteAllTextAsync(passwordFile, Password, ct);
        GrantToServerUser(passwordFile, _dataDirectory);
        try
        {
            await RunAsync("initdb",
            [
                "-D", _clusterDirectory, "-U", SuperUser, "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                "--pwfile", passwordFile, "-E", "UTF8", "--locale=C.UTF-8",
            ], ct);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    /// <summary>
    /// Every connection proves the password, over the socket too: clusters made before this rule
    /// trusted local users, and have their <c>trust</c> lines turned into <c>scram-sha-256</c>
    /// (the next start reads them; a running server is told to reload).
    /// </summary>
    private async Task AuthenticateEveryConnectionAsync(CancellationToken ct)
    {
        var hba = Path.Combine(_clusterDirectory, "pg_hba.conf");
        var lines = await File.ReadAllLinesAsync(hba, ct);
        var hardened = lines.Select(line => line.TrimStart().StartsWith('#') ? line : TrustRule().Replace(line, "scram-sha-256")).ToArray();
        if (!hardened.SequenceEqual(lines))
        {
            await File.WriteAllLinesAsync(hba, hardened, ct);
            if (await RunningPortAsync(ct) is not null)
            {
                await RunAsync("pg_ctl", ["reload", "-D", _clusterDirectory], ct);
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\btrust\s*$")]
    private static partial System.Text.RegularExpressions.Regex TrustRule();

    private async Task StartServerAsync(CancellationToken ct)
    {
        var (durable, extra) = (_durable, _settings);
        var settings = string.Join(' ',
            [
                $"-p {Port.ToString(CultureInfo.InvariantCulture)}",
                $"-k {_dataDirectory}",
                "-c unix_socket_permissions=0700",
                "-c listen_addresses=127.0.0.1",
                "-c max_connections=200",
                durable ? "-c fsync=on -c synchronous_commit=on" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                .. extra.Select(setting => "-c " + setting),
            ]);
        await RunAsync("pg_ctl", ["start", "-D", _clusterDirectory, "-l", Path.Combine(_dataDirectory, "postgres.log"), "-o", settings, "-w", "-t", "60"], ct);
    }

    private async Task<int?> RunningPortAsync(CancellationToken ct)
    {
        var status = await RunAsync("pg_ctl", ["status", "-D", _clusterDirectory], ct, throwOnError: false);
        if (status != 0)
        {
            return null;
        }

        // postmaster.pid's fourth line is the port the running server listens on.
        var lines = await File.ReadAllLinesAsync(Path.Combine(_clusterDirectory, "postmaster.pid"), ct);
        return lines.Length > 3 && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port) ? port : null;
    }
}

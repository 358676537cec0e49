using EventLedger.LocalPostgres;

namespace EventLedger.Hosting;

/// <summary>
/// The ledger's PostgreSQL: the configured <c>ConnectionStrings:Ledger</c>, or else a private server
/// started on first use from the binaries on the machine and stopped when the switch stops.
/// </summary>
public sealed class LedgerDatabase : IAsyncDisposable
{
    public const string DatabaseName = "eventledger";

    private readonly string? _configured;
    private readonly SwitchOptions _options;
    private readonly Lazy<LocalPostgres.LocalPostgres> _embedded;
    private readonly Lazy<string> _connectionString;

    public LedgerDatabase(string? configuredConnectionString, SwitchOptions options)
    {
        _configured = string.IsNullOrWhiteSpace(configuredConnectionString) ? null : configuredConnectionString;
        _options = options;
        _embedded = new Lazy<LocalPostgres.LocalPostgres>(StartEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);
        _connectionString = new Lazy<string>(() => WithDefaults(_configured ?? _embedded.Value.ConnectionString(DatabaseName)));
    }

    /// <summary>True when the switch runs its own PostgreSQL (and so owns its schema).</summary>
    public bool IsEmbedded => _configured is null;

    public string DataDirectory => _options.EmbeddedDataDirectory ?? SwitchOptions.DefaultEmbeddedDataDirectory();

    /// <summary>The one line to print when the switch cannot have a database at all, else null.</summary>
    public string? Unavailable() => IsEmbedded && LocalPostgres.LocalPostgres.FindBinaries() is null
        ? "EventLedger needs PostgreSQL: install the server (Debian: apt-get install postgresql) or set ConnectionStrings:Ledger."
        : null;

    public string ConnectionString => _connectionString.Value;

    /// <summary>A connection of the ledger's own, for the raw queries (<see cref="LedgerSql"/>) that run outside a session.</summary>
    public async Task<Npgsql.NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Longest wait for a new connection, unless the connection string says otherwise (Npgsql's own default is 15 s).</summary>
    public const int DefaultConnectTimeoutSeconds = 5;

    /// <summary>
    /// The switch's defaults for what the connection string leaves unsaid. Pooled connections go back
    /// without <c>DISCARD ALL</c>: the reset threw away every cached plan on each return, so the event
    /// append function and its foreign-key check were planned afresh on nearly every call (2.5× its
    /// cost, docs/benchmarks.md); neither the switch, Marten nor Wolverine leaves session state on a
    /// pooled connection (their advisory locks are transaction-scoped or held on connections of their
    /// own). And a connection that cannot be had within <see cref="DefaultConnectTimeoutSeconds"/> is
    /// given up, so that a request meeting a silently unreachable database is answered 503 within that
    /// bound (docs/reliability.md) rather than after Npgsql's 15 s.
    /// </summary>
    public static string WithDefaults(string connectionString)
    {
        // Npgsql's builder claims to contain every keyword it knows, so ask a plain one what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!written.ContainsKey("No Reset On Close") && !written.ContainsKey("NoResetOnClose"))
        {
            tuned.NoResetOnClose = true;
        }

        if (!written.ContainsKey("Timeout"))
        {
            tuned.Timeout = DefaultConnectTimeoutSeconds;
        }

        return tuned.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded.IsValueCreated)
        {
            await _embedded.Value.StopAsync();
        }
    }

    private LocalPostgres.LocalPostgres StartEmbedded()
    {
        // Marten asks for its connection while the host is being built, on a synchronous path.
        var server = LocalPostgres.LocalPostgres
            .StartAsync(new LocalPostgresOptions(Path.Combine(DataDirectory, "postgres"), _options.EmbeddedPort))
            .GetAwaiter().GetResult();
        server.EnsureDatabaseAsync(DatabaseName).GetAwaiter().GetResult();
        return server;
    }
}

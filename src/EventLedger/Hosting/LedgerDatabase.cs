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
        _connectionString = new Lazy<string>(() => WithoutPoolReset(_configured ?? _embedded.Value.ConnectionString(DatabaseName)));
    }

    /// <summary>True when the switch runs its own PostgreSQL (and so owns its schema).</summary>
    public bool IsEmbedded => _configured is null;

    public string DataDirectory => _options.EmbeddedDataDirectory ?? SwitchOptions.DefaultEmbeddedDataDirectory();

    /// <summary>The one line to print when the switch cannot have a database at all, else null.</summary>
    public string? Unavailable() => IsEmbedded && LocalPostgres.LocalPostgres.FindBinaries() is null
        ? "EventLedger needs PostgreSQL: install the server (Debian: apt-get install postgresql) or set ConnectionStrings:Ledger."
        : null;

    public string ConnectionString => _connectionString.Value;

    /// <summary>
    /// Pooled connections go back without <c>DISCARD ALL</c> unless the connection string says
    /// otherwise. The reset threw away every cached plan on each return, so the event append
    /// function and its foreign-key check were planned afresh on nearly every call (2.5× its cost,
    /// docs/benchmarks.md). Neither the switch, Marten nor Wolverine leaves session state on a
    /// pooled connection: their advisory locks are transaction-scoped or held on connections of
    /// their own.
    /// </summary>
    public static string WithoutPoolReset(string connectionString)
    {
        // Npgsql's builder claims to contain every keyword it knows, so ask a plain one what was written.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.ContainsKey("No Reset On Close") || written.ContainsKey("NoResetOnClose"))
        {
            return connectionString;
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true }.ConnectionString;
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

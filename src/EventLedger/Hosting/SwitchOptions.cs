namespace EventLedger.Hosting;

/// <summary>The switch's own identity and local resources (section <c>Switch</c>).</summary>
public sealed class SwitchOptions : ICheckedSettings
{
    public const string Section = "Switch";

    /// <summary>The switch's institution id: its ThirdPartyIdentifier and its client identity towards providers.</summary>
    public string InstitutionId { get; set; } = "33333333";

    public string Name { get; set; } = "EventLedger";

    /// <summary>
    /// Base64 key (at least 32 bytes) for the keyed hash that lets operators match voucher codes
    /// without storing them. Required with an external database; the embedded default keeps one
    /// in its data directory.
    /// </summary>
    public string? VoucherHashKey { get; set; }

    /// <summary>Where the embedded PostgreSQL keeps its cluster when no connection string is set.</summary>
    public string? EmbeddedDataDirectory { get; set; }

    /// <summary>TCP port of the embedded PostgreSQL on 127.0.0.1.</summary>
    public int EmbeddedPort { get; set; } = 55432;

    /// <summary>
    /// Whether the switch creates and patches its tables at start. Default: yes for the embedded
    /// database, no for a configured one (there, run <c>db-apply</c> or the SQL in migrations/).
    /// </summary>
    public bool? ApplySchemaOnStartup { get; set; }

    /// <summary>One node (Solo: fastest recovery after a crash) or several sharing the database (Balanced).</summary>
    public bool Clustered { get; set; }

    /// <summary>How often each node records that it is alive (and Wolverine checks its nodes' health).</summary>
    public int NodeHeartbeatMs { get; set; } = 2_000;

    /// <summary>
    /// A node not heard of for this long is dead: its queued advices are taken over by a live node
    /// and Wolverine reassigns its messages. At least three heartbeats.
    /// </summary>
    public int NodeStaleAfterMs { get; set; } = 15_000;

    /// <summary>
    /// Where Marten's and Wolverine's generated code comes from. <c>Dynamic</c> (default) compiles it
    /// at start and on first use (seconds of Roslyn); <c>Static</c> only loads code written beforehand
    /// by <c>codegen write</c> and compiled into the build, so a handler or endpoint added since is
    /// simply missing (an endpoint answers 404): regenerate on every change, as the benchmark does;
    /// <c>Auto</c> loads what was written and compiles the rest.
    /// </summary>
    public JasperFx.CodeGeneration.TypeLoadMode GeneratedCode { get; set; } = JasperFx.CodeGeneration.TypeLoadMode.Dynamic;

    public void Check()
    {
        if (NodeHeartbeatMs is < 100 or > 60_000 || NodeStaleAfterMs < 3 * NodeHeartbeatMs || NodeStaleAfterMs > 600_000)
        {
            throw new StartupException("Switch: NodeHeartbeatMs must be 100..60000 and NodeStaleAfterMs at least three heartbeats and at most 600000.");
        }
    }

    public static string DefaultEmbeddedDataDirectory()
    {
        // As root the server runs as the postgres user, which cannot reach root's home directory.
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root")
        {
            return "/var/lib/eventledger";
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var root = string.IsNullOrEmpty(state)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state")
            : state;
        return Path.Combine(root, "eventledger");
    }
}

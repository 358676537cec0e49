using EventLedger.Accounts;

namespace EventLedger.Operations;

/// <summary>A switch operator or finance user of the operations API (section <c>Operators</c>, a list).</summary>
public sealed class OperatorAccount : IAccount
{
    public const string Section = "Operators";
    public const string BasePath = Hosting.ApiPaths.Operations;

    /// <summary>The Basic user name; recorded in the ledger with every action taken.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";
}

using EventLedger.Accounts;

namespace EventLedger.Operations;

/// <summary>What an operator account may do. Every role reads everything; the others also act.</summary>
public enum OperatorRole
{
    /// <summary>Reads every page and endpoint; takes no action.</summary>
    Viewer,

    /// <summary>Retries and resends advices, rebuilds projections.</summary>
    Operator,

    /// <summary>Closes business days and matches settlement files.</summary>
    Finance,
}

/// <summary>A switch operator or finance user of the operations API and the console (section <c>Operators</c>, a list).</summary>
public sealed class OperatorAccount : IAccount
{
    public const string Section = "Operators";
    public const string BasePath = Hosting.ApiPaths.Operations;

    /// <summary>The user name; recorded in the ledger with every action taken.</summary>
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string PasswordHash { get; set; } = "";

    /// <summary>
    /// <c>Viewer</c>, <c>Operator</c>, <c>Finance</c>, any of them; at least one. Required: an account
    /// configured before roles existed does not start the switch rather than keep powers nobody chose.
    /// </summary>
    public List<OperatorRole> Roles { get; set; } = [];

    public bool Can(OperatorRole role) => role == OperatorRole.Viewer ? Roles.Count > 0 : Roles.Contains(role);

    /// <summary>Checked at start: every account says what it may do.</summary>
    public static void Check(IEnumerable<OperatorAccount> accounts)
    {
        foreach (var account in accounts.Where(a => a.Roles.Count == 0))
        {
            throw new Hosting.StartupException(
                $"{Section}: '{account.Id}' has no Roles; give it one or more of {string.Join(", ", Enum.GetNames<OperatorRole>())} (docs/configuration.md).");
        }
    }
}

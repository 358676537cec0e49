namespace EventLedger.ProviderSimulator;

/// <summary>How the simulated service provider presents itself.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The provider's institution id, added to thirdPartyIdentifiers and answers.</summary>
    public string InstitutionId { get; set; } = "44444444";

    public string Name { get; set; } = "Simulated Provider";

    /// <summary>Every voucher code it issues starts with this, so a switch can route by prefix.</summary>
    public string VoucherCodePrefix { get; set; } = "4444";

    /// <summary>Basic-auth accounts (user name to password) allowed to call it.</summary>
    public Dictionary<string, string> Accounts { get; set; } = [];

    /// <summary>
    /// Operations this provider does not offer at all (e.g. confirmRedemption, reverseRedemption for a
    /// provider that takes no advices): always 501 FUNCTION_NOT_SUPPORTED, still logged as received.
    /// </summary>
    public HashSet<string> RefusedOperations { get; set; } = [];

    /// <summary>Most vouchers it keeps in memory; provisioning past this answers 503.</summary>
    public int MaxVouchers { get; set; } = 1_000_000;
}

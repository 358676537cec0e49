using EventLedger.Hosting;

namespace EventLedger.Redemptions;

/// <summary>Settings for redemptions (section <c>Redemptions</c>): recording outcomes, and recovering those left in flight.</summary>
public sealed class RedemptionOptions : ICheckedSettings
{
    public const string Section = "Redemptions";

    /// <summary>Past the provider's timeout, how long a redemption may await its outcome before recovery declares it unknown.</summary>
    public int InFlightGraceMs { get; set; } = 30_000;

    /// <summary>How often recovery looks for redemptions left in flight.</summary>
    public int RecoveryIntervalMs { get; set; } = 10_000;

    /// <summary>
    /// How long a redemption whose provider has answered keeps trying to record that answer while
    /// the database is away, before the originator is told the outcome is unknown (504).
    /// </summary>
    public int OutcomeRecordingMs { get; set; } = 5_000;

    public void Check()
    {
        Settings.Within($"{Section}:InFlightGraceMs", InFlightGraceMs, 0, 3_600_000);
        Settings.Within($"{Section}:RecoveryIntervalMs", RecoveryIntervalMs, 100, 600_000);
        Settings.Within($"{Section}:OutcomeRecordingMs", OutcomeRecordingMs, 0, 60_000);
    }
}

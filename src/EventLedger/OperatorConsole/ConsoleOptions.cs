using EventLedger.Hosting;

namespace EventLedger.OperatorConsole;

/// <summary>The operator console (section <c>Console</c>), served at <c>/console</c>.</summary>
public sealed class ConsoleOptions : ICheckedSettings
{
    public const string Section = "Console";
    public const string BasePath = "/console";

    /// <summary>Whether the switch serves the console at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>A signed-in operator idle this long is signed out (each request renews the session).</summary>
    public int IdleTimeoutMinutes { get; set; } = 15;

    /// <summary>
    /// Longest a session lasts from sign-in, however busy: a page that reloads itself (the overview)
    /// renews the idle timeout, so an unattended screen would otherwise stay signed in for ever.
    /// </summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>How often the overview reloads itself.</summary>
    public int RefreshSeconds { get; set; } = 30;

    /// <summary>How many hours of redemptions per minute the overview charts.</summary>
    public int ChartHours { get; set; } = 3;

    /// <summary>
    /// Whether the session cookie is sent only over HTTPS. On by default: set it false only where the
    /// console is reached over plain HTTP on a trusted network (a demo, the tests).
    /// </summary>
    public bool SecureCookies { get; set; } = true;

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(IdleTimeoutMinutes);

    public void Check()
    {
        Settings.Within($"{Section}:IdleTimeoutMinutes", IdleTimeoutMinutes, 1, 720);
        Settings.Within($"{Section}:SessionHours", SessionHours, 1, 168);
        Settings.Within($"{Section}:RefreshSeconds", RefreshSeconds, 5, 3_600);
        Settings.Within($"{Section}:ChartHours", ChartHours, 1, 48);
    }
}

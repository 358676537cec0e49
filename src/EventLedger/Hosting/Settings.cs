namespace EventLedger.Hosting;

/// <summary>A settings section that says at start what is wrong with it, in one line (a <see cref="StartupException"/>).</summary>
public interface ICheckedSettings
{
    void Check();
}

/// <summary>The one way every area reads its settings: bound from its section, defaults where unsaid, checked at start.</summary>
public static class Settings
{
    public static T Read<T>(IConfiguration configuration, string section) where T : class, ICheckedSettings, new()
    {
        T settings;
        try
        {
            settings = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // A value that does not convert ("abc" for a number): the binder's message names the key.
            throw new StartupException($"{section}: {ex.InnerException?.Message ?? ex.Message}");
        }

        settings.Check();
        return settings;
    }

    /// <summary>Refuses a value outside its range, naming the setting.</summary>
    public static void Within(string setting, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw new StartupException($"{setting} must be {min}..{max} (was {value}).");
        }
    }
}

namespace EventLedger.Hosting;

/// <summary>
/// The switch's command line, split in two: settings (<c>--Section:Key value</c> or
/// <c>--Section:Key=value</c>, and the host's own <c>--urls</c>, <c>--environment</c>,
/// <c>--contentRoot</c>, <c>--applicationName</c> likewise), which go to configuration for every command, and the command with its
/// own arguments, which go to JasperFx. JasperFx alone rejects a setting as an unknown flag.
/// </summary>
public sealed record CommandLine(string? Command, IReadOnlyList<string> Settings, IReadOnlyList<string> CommandArguments)
{
    public const string RunCommand = "run";

    // The ASP.NET Core host's settings that have no section; everything else with a ':' is a setting.
    private static readonly string[] HostSettings = ["urls", "environment", "contentRoot", "applicationName"];

    /// <summary>Serving: no command, or <c>run</c>.</summary>
    public bool Serving => Command is null || Command.Equals(RunCommand, StringComparison.OrdinalIgnoreCase);

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var named = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : null;
        var serving = named is null || named.Equals(RunCommand, StringComparison.OrdinalIgnoreCase);
        var settings = new List<string>();
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (SettingKey(arg, serving) is not { } key)
            {
                rest.Add(arg);
            }
            else if (arg.Contains('=', StringComparison.Ordinal))
            {
                settings.Add($"--{key}{arg[arg.IndexOf('=', StringComparison.Ordinal)..]}");
            }
            else
            {
                // "--Key value": a key with nothing after it has no value and is refused below.
                if (i + 1 >= args.Count)
                {
                    throw new StartupException($"Setting {arg} has no value: write {arg} value or {arg}=value.");
                }

                settings.Add($"--{key}={args[++i]}");
            }
        }

        return new CommandLine(named, settings, named is null ? rest : rest.Skip(1).ToList());
    }

    /// <summary>The configuration key an argument sets, or null when it is not a setting.</summary>
    private static string? SettingKey(string arg, bool serving)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
        {
            return null;
        }

        var key = arg[2..];
        var equals = key.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0)
        {
            key = key[..equals];
        }

        // JasperFx's own "--config:Key value" form means the same setting.
        if (key.StartsWith("config:", StringComparison.OrdinalIgnoreCase))
        {
            key = key["config:".Length..];
        }

        // A key with a section, or the host's own, is a setting in either form; when serving, so
        // is a bare "--Section=" (a test host passes its settings with their sections so: nothing
        // to set). Anything else is the command's (JasperFx reads "--flag=value" too), or when
        // serving an unknown argument.
        var isSetting = key.Contains(':', StringComparison.Ordinal) || HostSettings.Contains(key, StringComparer.OrdinalIgnoreCase)
            || (serving && equals >= 0 && arg.EndsWith('='));
        return isSetting && key.Length > 0 && !key.StartsWith(':') ? key : null;
    }
}

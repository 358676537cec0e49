using EventLedger.Composition;
using EventLedger.Hosting;
using JasperFx;
using JasperFx.CommandLine;

// Wiring only: the command line is split here; Composition/SwitchHost.cs registers the kernel and each area from its own Configuration.
LedgerDatabase? database = null;
try
{
    var commandLine = CommandLine.Parse(args);
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = [.. commandLine.Settings],
        // appsettings.json beside the binary, wherever the switch is started from; except for
        // codegen, which writes its code under the content root: the project it is run from.
        ContentRootPath = commandLine.Settings.Any(s => s.StartsWith("--contentRoot=", StringComparison.OrdinalIgnoreCase))
            || commandLine.Command == "codegen" ? null : AppContext.BaseDirectory,
    });
    if (commandLine.Serving && commandLine.CommandArguments.Count > 0)
    {
        // Named up to its '=': a mistyped secret setting is not echoed into the operator's logs.
        var unknown = commandLine.CommandArguments[0].Split('=', 2)[0];
        Console.Error.WriteLine(
            $"Unknown argument '{unknown}': settings are written --Section:Key value or --Section:Key=value (docs/configuration.md); 'help' lists the commands.");
        return 2;
    }

    database = builder.AddEventLedger(commandLine.Serving);
    if (commandLine.Serving)
    {
        if (database.Unavailable() is { } reason)
        {
            Console.Error.WriteLine(reason);
            return 2;
        }
    }

    var app = builder.Build();
    app.UseEventLedger();
    if (commandLine.Serving)
    {
        await app.RunAsync();
        return 0;
    }

    // JasperFx announces every assembly it searches for commands until it believes its extensions
    // are applied; the switch registers none, so say so and keep the commands' output clean.
    new CommandFactory().ApplyExtensions(new ServiceCollection());
    return await app.RunJasperFxCommands([commandLine.Command!, .. commandLine.CommandArguments]);
}
catch (StartupException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
finally
{
    if (database is not null)
    {
        await database.DisposeAsync();
    }
}

/// <summary>The switch's entry point, visible to the integration tests' host.</summary>
public partial class Program;

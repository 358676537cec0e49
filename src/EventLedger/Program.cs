using EventLedger.Hosting;
using JasperFx;

// Wiring only: each area registers itself from Hosting/SwitchHost.cs.
LedgerDatabase? database = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    // Serving unless a command is named: host flags such as --urls also serve (JasperFx runs the host for them).
    var serving = args.Length == 0 || args[0] == "run" || args[0].StartsWith('-');
    database = builder.AddEventLedger(serving);
    if (serving)
    {
        if (database.Unavailable() is { } reason)
        {
            Console.Error.WriteLine(reason);
            return 2;
        }
    }

    var app = builder.Build();
    app.UseEventLedger();
    return await app.RunJasperFxCommands(args);
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

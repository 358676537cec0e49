using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace EventLedger.ProviderSimulator;

/// <summary>Standalone: <c>dotnet run --project src/EventLedger.ProviderSimulator -- --urls http://127.0.0.1:5090</c>.</summary>
public static class SimulatorProgram
{
    public static async Task Main(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            // Not appsettings.json: the switch references this project, and two files of one name
            // in one publish output are an error (NETSDK1152).
            .AddJsonFile("appsettings.simulator.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var options = new SimulatorOptions();
        configuration.GetSection(SimulatorOptions.Section).Bind(options);
        var url = configuration["urls"] ?? "http://127.0.0.1:5090";
        await SimulatorApp.Build(options, url, args).RunAsync();
    }
}

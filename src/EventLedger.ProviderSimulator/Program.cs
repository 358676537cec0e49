using EventLedger.ProviderSimulator;
using Microsoft.Extensions.Configuration;

// Standalone: dotnet run --project src/EventLedger.ProviderSimulator -- --urls http://127.0.0.1:5090
var configuration = new ConfigurationBuilder()
    .AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables()
    .AddCommandLine(args)
    .Build();
var options = new SimulatorOptions();
configuration.GetSection(SimulatorOptions.Section).Bind(options);
var url = configuration["urls"] ?? "http://127.0.0.1:5090";
await SimulatorApp.Build(options, url, args).RunAsync();

using EventLedger.Clients;
using EventLedger.Hosting;
using EventLedger.Operations;
using EventLedger.Providers;

namespace EventLedger.Demo;

/// <summary>Demo mode registers itself when it is wanted: the simulator beside the switch, and the demo's accounts.</summary>
public static class DemoConfiguration
{
    public const string DefaultSimulatorUrl = "http://127.0.0.1:5090";

    /// <summary>Adds the demo's provider, and its till and operator where none are configured; false when demo mode is not wanted.</summary>
    public static bool AddDemo(
        this IServiceCollection services, IConfiguration configuration, SwitchKernel kernel,
        List<ProviderOptions> providers, List<OriginatorClient> clients, List<OperatorAccount> operators)
    {
        if (!DemoMode.IsWanted(configuration, kernel.Database.IsEmbedded))
        {
            return false;
        }

        var demo = new DemoMode(configuration[$"{DemoMode.Section}:SimulatorUrl"] ?? DefaultSimulatorUrl, kernel.Options.InstitutionId);
        providers.Add(demo.Provider);
        if (clients.Count == 0)
        {
            clients.Add(DemoMode.DemoClient());
        }

        if (operators.Count == 0)
        {
            operators.Add(DemoMode.DemoOperator());
        }

        services.AddSingleton(demo);
        services.AddHostedService<DemoHost>();
        return true;
    }
}

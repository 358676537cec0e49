using EventLedger.Accounts;

namespace EventLedger.Clients;

/// <summary>Originators register themselves: the accounts that may call the SUV API.</summary>
public static class ClientsConfiguration
{
    public static List<OriginatorClient> Read(IConfiguration configuration) =>
        configuration.GetSection(OriginatorClient.Section).Get<List<OriginatorClient>>() ?? [];

    public static IServiceCollection AddClients(this IServiceCollection services, IEnumerable<OriginatorClient> clients) =>
        services.AddSingleton(new AccountDirectory<OriginatorClient>(OriginatorClient.Section, clients));
}

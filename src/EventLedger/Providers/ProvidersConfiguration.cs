namespace EventLedger.Providers;

/// <summary>Providers register themselves: the directory routing reads, and the gateway that calls them.</summary>
public static class ProvidersConfiguration
{
    /// <summary>The configured providers (demo mode may have added its own).</summary>
    public static List<ProviderOptions> Read(IConfiguration configuration) =>
        configuration.GetSection(ProviderOptions.Section).Get<List<ProviderOptions>>() ?? [];

    public static IServiceCollection AddProviders(this IServiceCollection services, ProviderDirectory directory)
    {
        services.AddSingleton(directory);
        services.AddSingleton<ProviderGateway>();
        return services;
    }
}

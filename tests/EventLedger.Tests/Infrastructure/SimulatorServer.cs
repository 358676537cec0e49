using EventLedger.ProviderSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.Infrastructure;

/// <summary>The provider simulator on a real loopback port, as a provider would be.</summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorServer(WebApplication app, SimulatorOptions options, string url)
    {
        _app = app;
        Options = options;
        Url = url;
    }

    public SimulatorOptions Options { get; }

    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<SimulatorServer> StartAsync(SimulatorOptions options)
    {
        var app = SimulatorApp.Build(options, "http://127.0.0.1:0");
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorServer(app, options, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

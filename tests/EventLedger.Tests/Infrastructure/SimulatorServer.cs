using EventLedger.ProviderSimulator;
using Microsoft.AspNetCore.Http;
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
        Book = app.Services.GetRequiredService<VoucherBook>();
        Control = app.Services.GetRequiredService<SimulatorControl>();
    }

    public SimulatorOptions Options { get; }

    public string Url { get; }

    public IServiceProvider Services => _app.Services;

    public VoucherBook Book { get; }

    public SimulatorControl Control { get; }

    /// <summary>Starts on a free port, or on <paramref name="url"/>'s, keeping a stopped server's data when given.</summary>
    public static async Task<SimulatorServer> StartAsync(SimulatorOptions options, string url = "http://127.0.0.1:0", SimulatorServer? previous = null)
    {
        var app = SimulatorApp.Build(options, url, book: previous?.Book, control: previous?.Control);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorServer(app, options, bound);
    }

    private bool _stopped;

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

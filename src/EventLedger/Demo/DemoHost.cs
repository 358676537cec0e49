using System.Text;
using EventLedger.Hosting;
using EventLedger.ProviderSimulator;
using EventLedger.Suv.Messages;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace EventLedger.Demo;

/// <summary>Runs the simulator for demo mode, provisions a few vouchers on it, and prints how to try them.</summary>
public sealed class DemoHost(
    DemoMode demo, SwitchOptions switchOptions, IServer server, IHostApplicationLifetime lifetime,
    ILogger<DemoHost> logger) : IHostedService
{
    private const int DemoVouchers = 3;
    private WebApplication? _simulator;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The simulator's own request logs would bury the switch's; its warnings still show.
        _simulator = SimulatorApp.Build(demo.Simulator, demo.SimulatorUrl, ["--Logging:LogLevel:Default=Warning"]);
        await _simulator.StartAsync(cancellationToken);
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync());
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_simulator is not null)
        {
            await _simulator.StopAsync(cancellationToken);
            await _simulator.DisposeAsync();
        }
    }

    private async Task AnnounceAsync()
    {
        try
        {
            var codes = await ProvisionAsync();
            var switchUrl = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5080";
            var text = new StringBuilder()
                .AppendLine()
                .AppendLine("EventLedger is running in demo mode (no providers configured).")
                .AppendLine($"  switch:     {switchUrl}   (API reference: {switchUrl}/docs)")
                .AppendLine($"  simulator:  {demo.SimulatorUrl}   (provider {DemoMode.ProviderInstitutionId})")
                .AppendLine($"  originator: user {DemoMode.ClientId}, password {DemoMode.ClientPassword}")
                .AppendLine($"  operator:   user {DemoMode.OperatorId}, password {DemoMode.ClientPassword}   ({switchUrl}/ops/v1/advices)")
                .AppendLine($"  vouchers:   {string.Join(", ", codes)}")
                .AppendLine("Look one up:")
                .AppendLine($"  curl -s -u {DemoMode.ClientId}:{DemoMode.ClientPassword} '{switchUrl}/suv/v1/vouchers?voucherCode={codes[0]}'")
                .AppendLine("Issue another voucher (amount in cents):")
                .AppendLine($"  curl -s -X POST '{demo.SimulatorUrl}/control/vouchers?amount=5000'")
                .AppendLine("Redeem, confirm, reverse, audit and settle, step by step: docs/quickstart.md");
            // Demo vouchers are throw-away values on a simulator; they are printed so a person can try them.
            Console.WriteLine(text.ToString());
        }
        catch (HttpRequestException ex)
        {
            logger.LogError("Demo vouchers could not be provisioned on the simulator: {Reason}", ex.Message);
        }
    }

    private async Task<List<string>> ProvisionAsync()
    {
        using var http = SimulatorClient.Create(new Uri(demo.SimulatorUrl), demo.Provider.UserName, demo.Provider.Password);
        var self = new Institution { Id = switchOptions.InstitutionId, Name = switchOptions.Name };
        var till = new Originator
        {
            Institution = self,
            TerminalId = "DEMO0001",
            Merchant = new Merchant
            {
                MerchantId = "DEMOMERCHANT001",
                MerchantType = "5411",
                MerchantName = new MerchantName { Name = "Demo Shop", City = "Cape Town", Region = "WC", Country = "ZA" },
            },
        };
        var codes = new List<string>();
        for (var i = 0; i < DemoVouchers; i++)
        {
            codes.Add(await SimulatorClient.ProvisionAsync(http, self, till, 5_000 * (i + 1)));
        }

        return codes;
    }
}

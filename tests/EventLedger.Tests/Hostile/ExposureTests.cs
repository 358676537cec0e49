using System.Net;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Hostile;

/// <summary>Nothing is open by accident: a half-configured switch does not start, management endpoints stay where they are put.</summary>
public sealed class ExposureTests
{
    [Fact]
    public async Task A_switch_with_a_database_and_tills_but_no_provider_stops_at_start_with_one_clear_line()
    {
        var settings = SwitchFixture.BaseSettings(await TestPostgres.NewDatabaseAsync("noproviders"), applySchema: true);

        await StopsWithOneLineAsync(settings, "Providers: no entry configured");
    }

    [Fact]
    public async Task Demo_mode_asked_for_against_a_configured_database_does_not_start()
    {
        var settings = SwitchFixture.BaseSettings(await TestPostgres.NewDatabaseAsync("demodb"), applySchema: true);
        SwitchFixture.AddProvider(settings, 0, "44444444", SilentServer.RefusingUrl(), "4444", "x", 1_000);
        settings["Demo:Enabled"] = "true";

        await StopsWithOneLineAsync(settings, "never run against a configured database");
    }

    [Fact]
    public async Task Metrics_and_the_api_reference_answer_only_on_the_management_address_whatever_the_host_header()
    {
        var settings = SwitchFixture.BaseSettings(await TestPostgres.NewDatabaseAsync("management"), applySchema: true);
        SwitchFixture.AddProvider(settings, 0, "44444444", SilentServer.RefusingUrl(), "4444", "x", 1_000);
        settings.Remove("Management:ApiReference");
        var management = new Uri(SwitchProcess.FreeUrl());
        settings["Management:Url"] = management.ToString();
        await using var process = await SwitchProcess.StartAsync(settings);
        using var main = new HttpClient { BaseAddress = new Uri(process.Url) };
        using var internalOnly = new HttpClient { BaseAddress = management };

        using var publicMetrics = await main.GetAsync("/metrics");
        using var spoofed = await main.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Host = $"127.0.0.1:{management.Port}" } });
        using var managementMetrics = await internalOnly.GetAsync("/metrics");
        using var reference = await internalOnly.GetAsync("/openapi/v1.json");
        using var ready = await main.GetAsync("/health/ready");

        publicMetrics.StatusCode.Should().Be(HttpStatusCode.NotFound, "metrics are served on the management address only");
        spoofed.StatusCode.Should().Be(HttpStatusCode.NotFound, "the port a request came in on decides, not its Host header");
        managementMetrics.StatusCode.Should().Be(HttpStatusCode.OK);
        reference.StatusCode.Should().Be(HttpStatusCode.NotFound, "the API reference is off outside demo mode unless asked for");
        ready.StatusCode.Should().Be(HttpStatusCode.OK, "health stays where load balancers look for it");
    }

    [Fact]
    public async Task A_providers_section_that_does_not_bind_does_not_start_demo_mode_on_the_embedded_database()
    {
        var settings = SwitchFixture.BaseSettings("unused", applySchema: true);
        settings.Remove("ConnectionStrings:Ledger");
        settings["Switch:EmbeddedDataDirectory"] = Path.Combine(Path.GetTempPath(), "eventledger-never-started-" + Guid.NewGuid().ToString("N"));
        settings["Providers:InstitutionId"] = "44444444";
        settings["Providers:BaseUrl"] = "http://127.0.0.1:9";

        await StopsWithOneLineAsync(settings, "Providers: no entry configured");
    }

    /// <summary>The switch, run as an operator would, exits at once with this reason as its only output line and no stack trace.</summary>
    private static async Task StopsWithOneLineAsync(Dictionary<string, string> settings, string reason)
    {
        await using var process = await SwitchProcess.StartAsync(settings, waitUntilReady: false);

        var exitCode = await process.ExitCodeAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().NotBe(0);
        process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain(reason);
    }
}

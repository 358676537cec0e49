using EventLedger.Hosting;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Hosting;

/// <summary>The command line as docs/configuration.md writes it: settings in both forms, for the run command and the others.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new string[0], null, new string[0], new string[0])]
    [InlineData(new[] { "run" }, "run", new string[0], new string[0])]
    [InlineData(new[] { "--Switch:InstitutionId", "33333333" }, null, new[] { "--Switch:InstitutionId=33333333" }, new string[0])]
    [InlineData(new[] { "--Switch:InstitutionId=33333333" }, null, new[] { "--Switch:InstitutionId=33333333" }, new string[0])]
    [InlineData(new[] { "--urls", "http://127.0.0.1:5081" }, null, new[] { "--urls=http://127.0.0.1:5081" }, new string[0])]
    [InlineData(new[] { "--config:Switch:Name", "Main" }, null, new[] { "--Switch:Name=Main" }, new string[0])]
    [InlineData(new[] { "--contentRoot=/srv" }, null, new[] { "--contentRoot=/srv" }, new string[0])]
    [InlineData(new[] { "run", "--Providers:0:BaseUrl", "http://p", "--Lookups:ProcessingPeriodMs=5000" }, "run",
        new[] { "--Providers:0:BaseUrl=http://p", "--Lookups:ProcessingPeriodMs=5000" }, new string[0])]
    [InlineData(new[] { "hash-password", "--stdin", "--Switch:InstitutionId", "1" }, "hash-password", new[] { "--Switch:InstitutionId=1" }, new[] { "--stdin" })]
    [InlineData(new[] { "db-patch", "out.sql", "-d", "marten://store/", "--ConnectionStrings:Ledger", "Host=db" }, "db-patch",
        new[] { "--ConnectionStrings:Ledger=Host=db" }, new[] { "out.sql", "-d", "marten://store/" })]
    [InlineData(new[] { "--check" }, null, new string[0], new[] { "--check" })]
    [InlineData(new[] { "--environment=Development" }, null, new[] { "--environment=Development" }, new string[0])]
    [InlineData(new[] { "--InstitutionId=1" }, null, new string[0], new[] { "--InstitutionId=1" })]
    [InlineData(new[] { "--Switch=", "--Switch:Name=x" }, null, new[] { "--Switch=", "--Switch:Name=x" }, new string[0])]
    [InlineData(new[] { "projections", "rebuild", "--projection=" }, "projections", new string[0], new[] { "rebuild", "--projection=" })]
    [InlineData(new[] { "projections", "rebuild", "--projection=RedemptionView", "--Switch:Name=x" }, "projections",
        new[] { "--Switch:Name=x" }, new[] { "rebuild", "--projection=RedemptionView" })]
    public void Splits_settings_from_the_command_and_its_own_arguments(string[] args, string? command, string[] settings, string[] commandArguments)
    {
        var line = CommandLine.Parse(args);

        line.Command.Should().Be(command);
        line.Settings.Should().Equal(settings);
        line.CommandArguments.Should().Equal(commandArguments);
        line.Serving.Should().Be(command is null or "run");
    }

    [Fact]
    public void A_setting_with_no_value_is_refused_with_the_forms_that_work()
    {
        var parse = () => CommandLine.Parse(["--Switch:InstitutionId"]);

        parse.Should().Throw<StartupException>().WithMessage("*--Switch:InstitutionId value or --Switch:InstitutionId=value*");
    }

    [Fact]
    public async Task A_switch_configured_on_its_command_line_alone_serves_and_its_start_says_only_what_an_operator_needs()
    {
        var settings = SwitchFixture.BaseSettings(await TestPostgres.NewDatabaseAsync("commandline"), applySchema: true);
        SwitchFixture.AddProvider(settings, 0, "44444444", SilentServer.RefusingUrl(), "4444", "x", 1_000);
        settings["Switch:InstitutionId"] = "12345678";
        settings["Logging:LogLevel:Default"] = "Information";
        // Every setting on the command line, in both forms by turns; nothing in the environment.
        var arguments = settings.SelectMany((s, i) => i % 2 == 0 ? new[] { $"--{s.Key}={s.Value}" } : [$"--{s.Key}", s.Value]).ToList();

        await using var process = await SwitchProcess.StartAsync(new Dictionary<string, string>(), arguments: arguments);

        // The report is written once the host has started, just after it answers; the console writes in the background.
        await Eventually.ReturnsAsync(() => process.Output, o => o.Contains("serving on", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the start report");
        process.Output.Should().Contain($"serving on {process.Url} as institution 12345678").And.Contain("providers: 44444444");
        process.Output.Split('\n').Where(l => l.StartsWith("info:", StringComparison.Ordinal)).Should()
            .ContainSingle("the start says what an operator needs in one line").Which.Should().Contain("StartupReport");
        process.StackTraceLines.Should().BeEmpty();
    }

    [Fact]
    public async Task Another_command_prints_its_own_output_without_the_frameworks_command_search()
    {
        await using var process = await SwitchProcess.StartAsync(new Dictionary<string, string>(), waitUntilReady: false, arguments: ["help"]);

        var exitCode = await process.ExitCodeAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().Be(0);
        process.Output.Should().Contain("db-apply").And.Contain("hash-password").And.NotContain("Searching").And.NotContain("for commands");
    }

    [Fact]
    public async Task An_unknown_argument_stops_the_switch_with_one_line_naming_it()
    {
        await using var process = await SwitchProcess.StartAsync(new Dictionary<string, string>(), waitUntilReady: false, arguments: ["--no-such-flag"]);

        var exitCode = await process.ExitCodeAsync(TimeSpan.FromSeconds(60));

        exitCode.Should().Be(2);
        process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("Unknown argument '--no-such-flag'");
    }

    [Fact]
    public async Task An_unknown_argument_is_named_without_its_value_which_may_be_a_secret()
    {
        await using var process = await SwitchProcess.StartAsync(
            new Dictionary<string, string>(), waitUntilReady: false, arguments: ["--ConnectionStrings.Ledger=Host=db;Password=hunter2"]);

        (await process.ExitCodeAsync(TimeSpan.FromSeconds(60))).Should().Be(2);
        process.Output.Should().Contain("Unknown argument '--ConnectionStrings.Ledger'").And.NotContain("hunter2");
    }
}

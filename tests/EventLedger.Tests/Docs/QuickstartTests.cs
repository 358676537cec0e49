using System.Text.Json.Nodes;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Docs;

/// <summary>
/// docs/quickstart.md and docs/examples/quickstart.http, run against a demo switch started as the
/// README starts it: every answer they show is the answer a newcomer gets, so they cannot rot.
/// </summary>
public sealed class QuickstartTests(DemoSwitch demo) : IClassFixture<DemoSwitch>
{
    [Fact]
    public async Task Every_curl_step_of_the_quick_start_gets_the_answer_it_shows()
    {
        var (steps, printed) = await demo.WalkthroughAsync();

        steps.Count(s => s.Answer is not null).Should().BeGreaterThanOrEqualTo(12, "the walk shows an answer for each operation it teaches");
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Answer?.Mismatch(printed[i]) is { } mismatch)
            {
                throw new Xunit.Sdk.XunitException($"docs/quickstart.md, the step at line {steps[i].Line}:\n{steps[i].Commands}\n{mismatch}\nprinted:\n{printed[i]}");
            }
        }
    }

    [Fact]
    public async Task Every_request_of_the_http_file_gets_the_status_it_expects()
    {
        var file = new HttpFile(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "examples", "quickstart.http")));
        file.Set("switch", demo.Process.Url);
        file.Set("simulator", demo.SimulatorUrl);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        file.Requests.Should().HaveCountGreaterThanOrEqualTo(14);
        foreach (var request in file.Requests)
        {
            var status = await file.SendAsync(http, request, DemoSwitch.Eventually);

            status.Should().Be(request.Expected, $"quickstart.http, \"{request.Title}\"");
        }
    }

    [Fact]
    public async Task The_walk_leaves_a_json_log_with_one_line_per_outcome_and_delivered_advice_each_scoped_to_its_redemption()
    {
        var (steps, printed) = await demo.WalkthroughAsync();
        // The walk's own advices: the ids its confirmation and reversal answers echo.
        var advices = steps.Select((s, i) => (s, i))
            .Where(x => x.s.Commands.Contains("/redemptions/confirmations", StringComparison.Ordinal) || x.s.Commands.Contains("/redemptions/reversals", StringComparison.Ordinal))
            .Select(x => JsonNode.Parse(printed[x.i].Trim().Split('\n')[0])!["id"]!.GetValue<string>()).ToList();
        advices.Should().HaveCount(2);

        // The walk waited for both advices to be acknowledged; their lines follow the commits.
        var entries = await Eventually.ReturnsAsync(
            () => demo.LogEntries(), e => advices.All(a => e.Any(l => Message(l).Contains($"Advice {a} ", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(10), "the walk's advices' delivered lines");
        entries.Should().NotBeEmpty("Logging:Console:FormatterName=json writes one JSON object per line");
        var outcomes = entries.Where(e => Message(e).StartsWith("Redemption ", StringComparison.Ordinal) && Message(e).Contains("answered 201", StringComparison.Ordinal)).ToList();
        outcomes.Should().HaveCountGreaterThanOrEqualTo(2, "one Information line per redemption outcome");
        outcomes.Should().AllSatisfy(e =>
        {
            e["LogLevel"]!.GetValue<string>().Should().Be("Information");
            Scopes(e).Should().Contain(s => s.ContainsKey("RedemptionRequestId") && s.ContainsKey("ClientId"), "the redemption's identifiers are in the scope");
            Scopes(e).Should().Contain(s => s.ContainsKey("RequestId") && s.ContainsKey("RequestPath"), "and so are the HTTP request's");
        });
        var delivered = entries.Where(e => Message(e).Contains("delivered to provider 44444444", StringComparison.Ordinal)).ToList();
        delivered.Select(e => Message(e)).Should().Contain(m => m.Contains("(Confirmation)", StringComparison.Ordinal))
            .And.Contain(m => m.Contains("(Reversal)", StringComparison.Ordinal));
        delivered.Should().AllSatisfy(e => Scopes(e).Should().Contain(s => s.ContainsKey("AdviceId") && s.ContainsKey("RedemptionRequestId")));
        entries.Where(e => e.ContainsKey("Exception")).Select(e => Message(e)).Should().BeEmpty("nothing went wrong that an operator must read a stack trace for");
        demo.Process.StackTraceLines.Should().BeEmpty("nor was one written outside the log");
    }

    private static string Message(JsonObject entry) => entry["Message"]?.GetValue<string>() ?? "";

    private static List<JsonObject> Scopes(JsonObject entry) =>
        entry["Scopes"] is JsonArray scopes ? scopes.OfType<JsonObject>().ToList() : [];
}

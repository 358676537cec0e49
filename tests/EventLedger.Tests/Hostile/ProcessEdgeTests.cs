using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using EventLedger.Accounts;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Hostile;

/// <summary>
/// Hostile clients only a real process meets: many client addresses, host flags on the command line,
/// and HTTP framing that Kestrel itself cannot read.
/// </summary>
public sealed class ProcessEdgeTests
{
    private static async Task<Dictionary<string, string>> ConfiguredAsync(string purpose)
    {
        var settings = SwitchFixture.BaseSettings(await TestPostgres.NewDatabaseAsync(purpose), applySchema: true);
        SwitchFixture.AddProvider(settings, 0, "44444444", SilentServer.RefusingUrl(), "4444", "x", 1_000);
        return settings;
    }

    /// <summary>A client whose connections come from <paramref name="localAddress"/> (any 127.x.y.z is this host).</summary>
    private static HttpClient From(string localAddress, string url, string password)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SwitchFixture.ClientId}:{password}")));
        return client;
    }

    private static async Task<HttpStatusCode> AskAsync(HttpClient client)
    {
        using var response = await client.GetAsync($"/suv/v1/redemptions/{Guid.NewGuid()}");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_till_signed_in_stays_served_while_its_account_is_guessed_at_from_many_addresses_and_a_right_guess_elsewhere_learns_nothing()
    {
        await using var process = await SwitchProcess.StartAsync(await ConfiguredAsync("remembered"));
        using var till = From("127.0.0.1", process.Url, SwitchFixture.ClientPassword);
        (await AskAsync(till)).Should().Be(HttpStatusCode.NotFound, "the till signs in before the attack");

        // Each address may guess as often as its own budget allows; together they spend the account's.
        var addresses = SignInThrottle.PerAccount / SignInThrottle.PerAccountAndAddress + 1;
        var guesses = new List<HttpStatusCode>();
        for (var a = 0; a < addresses; a++)
        {
            using var guesser = From($"127.0.0.{10 + a}", process.Url, "not-the-password");
            for (var i = 0; i < SignInThrottle.PerAccountAndAddress; i++)
            {
                guesses.Add(await AskAsync(guesser));
            }
        }

        using var rightGuessElsewhere = From("127.0.0.200", process.Url, SwitchFixture.ClientPassword);
        var tillDuringAttack = await AskAsync(till);
        var rightGuess = await AskAsync(rightGuessElsewhere);

        guesses.Should().Contain(HttpStatusCode.TooManyRequests, "the account's own budget is spent by the guessers together");
        guesses.Should().OnlyContain(s => s == HttpStatusCode.Unauthorized || s == HttpStatusCode.TooManyRequests);
        tillDuringAttack.Should().Be(HttpStatusCode.NotFound, "a password proven from this address is remembered there and not held off by guessing elsewhere");
        rightGuess.Should().Be(HttpStatusCode.TooManyRequests, "a right guess from a new address while throttled is answered like a wrong one");
    }

    [Fact]
    public async Task Urls_on_the_command_line_serve_there_and_do_not_skip_the_check_of_a_half_configured_switch()
    {
        var url = SwitchProcess.FreeUrl();
        await using (var serving = await SwitchProcess.StartAsync(await ConfiguredAsync("urls"), waitUntilReady: false, arguments: ["--urls", url]))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
            var ready = await Eventually.ReturnsAsync(async () =>
            {
                try
                {
                    using var response = await http.GetAsync("/health/ready");
                    return response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    return HttpStatusCode.ServiceUnavailable;
                }
            }, s => s == HttpStatusCode.OK || serving.HasExited, TimeSpan.FromSeconds(90), "the switch to serve on the address the command line gave");
            ready.Should().Be(HttpStatusCode.OK, serving.Output);
        }

        var halfConfigured = SwitchFixture.BaseSettings(await TestPostgres.NewDatabaseAsync("urlsnoproviders"), applySchema: true);
        await using var refused = await SwitchProcess.StartAsync(halfConfigured, waitUntilReady: false, arguments: [$"--urls={SwitchProcess.FreeUrl()}"]);

        (await refused.ExitCodeAsync(TimeSpan.FromSeconds(60))).Should().Be(2);
        refused.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle().Which.Should().Contain("Providers: no entry configured");
    }

    [Fact]
    public async Task A_body_kestrel_cannot_read_is_a_format_error_in_one_log_line_not_a_500_with_a_stack_trace()
    {
        await using var process = await SwitchProcess.StartAsync(await ConfiguredAsync("chunks"));
        var endpoint = new Uri(process.Url);
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{SwitchFixture.ClientId}:{SwitchFixture.ClientPassword}"));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(endpoint.Host, endpoint.Port);
        await using var stream = tcp.GetStream();

        // "ZZ" is no chunk size: the body cannot be read past its first line.
        var request = $"POST /suv/v1/redemptions HTTP/1.1\r\nHost: {endpoint.Authority}\r\nAuthorization: Basic {credentials}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync();

        answer.Should().StartWith("HTTP/1.1 400").And.Contain("FORMAT_ERROR");
        await Eventually.ReturnsAsync(() => process.Output, o => o.Contains("Bad request on POST /suv/v1/redemptions", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the one warning line");
        process.StackTraceLines.Should().BeEmpty(process.Output);
    }
}

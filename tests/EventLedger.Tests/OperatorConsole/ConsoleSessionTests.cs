using System.Text.RegularExpressions;
using EventLedger.OperatorConsole;
using EventLedger.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EventLedger.Tests.OperatorConsole;

/// <summary>How the console's session is set up in a switch, and that its documentation shows every page.</summary>
[Collection(SwitchTests.Name)]
public sealed partial class ConsoleSessionTests(SwitchFixture fixture)
{
    [Fact]
    public void The_session_ends_after_the_idle_timeout_renewed_by_each_request_and_its_cookie_is_out_of_scripts_reach()
    {
        var cookie = fixture.Host.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(ConsoleAccess.Scheme);
        var options = fixture.Host.Services.GetRequiredService<ConsoleOptions>();

        cookie.ExpireTimeSpan.Should().Be(TimeSpan.FromMinutes(options.IdleTimeoutMinutes));
        cookie.SlidingExpiration.Should().BeTrue();
        cookie.Cookie.HttpOnly.Should().BeTrue();
        cookie.Cookie.SameSite.Should().Be(SameSiteMode.Strict);
        cookie.Cookie.Path.Should().Be("/console");
        cookie.Cookie.SecurePolicy.Should().Be(CookieSecurePolicy.Always, "outside demo mode the cookie goes over HTTPS only unless configured otherwise");
    }

    [Fact]
    public async Task Console_pages_are_never_cached_framed_or_allowed_a_script()
    {
        using var response = await fixture.Host.Server.CreateClient().GetAsync("/console/sign-in");

        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        response.Headers.GetValues("X-Frame-Options").Should().Equal("DENY");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("default-src 'none'").And.NotContain("script-src");
    }

    [Fact]
    public void The_documentation_shows_every_page_with_a_screenshot_that_exists()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "console.md"));
        var shots = Screenshot().Matches(page).Select(m => m.Groups[1].Value).ToList();

        shots.Should().Contain(["sign-in", "overview", "transactions", "timeline", "advices", "advice-retry", "finance", "close-day", "settlement", "projections"]);
        shots.Should().OnlyContain(name => File.Exists(Path.Combine(RepositoryRoot.Path, "docs", "console", name + ".png")));
    }

    [GeneratedRegex(@"\]\(console/([a-z-]+)\.png\)")]
    private static partial Regex Screenshot();
}

using System.Security.Claims;
using EventLedger.Accounts;
using EventLedger.Operations;
using EventLedger.OperatorConsole;
using EventLedger.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EventLedger.Tests.OperatorConsole;

/// <summary>The console's pure parts: who signs in, what the chart draws, how ages read.</summary>
public sealed class ConsoleUnitTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    private static readonly OperatorAccount Finance =
        new() { Id = "fin", Name = "Finance Person", PasswordHash = PasswordHasher.Hash("fin-secret", 10_000), Roles = [OperatorRole.Finance] };

    private readonly SignInThrottle _throttle = new();

    private readonly AccountDirectory<OperatorAccount> _accounts = new(OperatorAccount.Section, [Finance]);

    public void Dispose() => _throttle.Dispose();

    [Fact]
    public void A_right_password_signs_in_with_the_accounts_roles_as_claims()
    {
        var result = ConsoleAccess.SignIn("fin", "fin-secret", "10.0.0.1", _accounts, _throttle, Now);

        result.Principal.Should().NotBeNull();
        result.Principal!.OperatorId().Should().Be("fin");
        result.Principal.Identity!.Name.Should().Be("Finance Person");
        result.Principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Should().Equal("Finance");
        result.Principal.Can(OperatorRole.Finance).Should().BeTrue();
        result.Principal.Can(OperatorRole.Operator).Should().BeFalse();
    }

    [Theory]
    [InlineData("fin", "wrong", 401)]
    [InlineData("nobody", "fin-secret", 401)]
    [InlineData("", "x", 400)]
    [InlineData("fin", "", 400)]
    public void Anything_else_is_refused_without_a_session(string user, string password, int status)
    {
        var result = ConsoleAccess.SignIn(user, password, "10.0.0.2", _accounts, _throttle, Now);

        result.Principal.Should().BeNull();
        result.Status.Should().Be(status);
    }

    [Fact]
    public void Credentials_longer_than_the_form_takes_are_refused_before_any_hash()
    {
        var result = ConsoleAccess.SignIn(new string('u', ConsoleAccess.MaxCredentialLength + 1), "x", "10.0.0.3", _accounts, _throttle, Now);

        result.Status.Should().Be(400);
    }

    [Fact]
    public void Past_the_budget_even_the_right_password_is_held_off()
    {
        for (var i = 0; i < SignInThrottle.PerAccountAndAddress; i++)
        {
            ConsoleAccess.SignIn("fin", "wrong", "10.0.0.4", _accounts, _throttle, Now).Status.Should().Be(401);
        }

        ConsoleAccess.SignIn("fin", "fin-secret", "10.0.0.4", _accounts, _throttle, Now).Status.Should().Be(429);
        ConsoleAccess.SignIn("fin", "fin-secret", "10.0.0.5", _accounts, _throttle, Now).Principal.Should().NotBeNull("another address has its own budget");
    }

    [Fact]
    public async Task A_session_holds_while_its_account_is_as_it_was_signed_in_with()
    {
        (await StillSignedInAsync(ConsoleAccess.Principal(Finance, Now), Finance, Now.AddHours(11))).Should().BeTrue();
    }

    [Fact]
    public async Task A_session_ends_when_its_accounts_roles_or_password_change_or_it_is_removed()
    {
        var session = ConsoleAccess.Principal(Finance, Now);

        (await StillSignedInAsync(session, Changed(a => a.Roles = [OperatorRole.Finance, OperatorRole.Operator]), Now)).Should().BeFalse();
        (await StillSignedInAsync(session, Changed(a => a.PasswordHash = PasswordHasher.Hash("new-secret", 10_000)), Now)).Should().BeFalse();
        (await StillSignedInAsync(session, Changed(a => a.Id = "someone-else"), Now)).Should().BeFalse();
    }

    [Fact]
    public async Task A_session_ends_its_hours_after_sign_in_however_often_it_was_renewed()
    {
        var hours = new ConsoleOptions().SessionHours;

        (await StillSignedInAsync(ConsoleAccess.Principal(Finance, Now), Finance, Now.AddHours(hours).AddSeconds(1), renewedAt: Now.AddHours(hours)))
            .Should().BeFalse("a reloading page renews the cookie, not the sign-in");
    }

    private static OperatorAccount Changed(Action<OperatorAccount> change)
    {
        var account = new OperatorAccount { Id = Finance.Id, Name = Finance.Name, PasswordHash = Finance.PasswordHash, Roles = [.. Finance.Roles] };
        change(account);
        return account;
    }

    /// <summary>Runs the check the cookie handler runs on every request, with the account as configured now.</summary>
    private static async Task<bool> StillSignedInAsync(ClaimsPrincipal session, OperatorAccount configured, DateTimeOffset at, DateTimeOffset? renewedAt = null)
    {
        var services = new ServiceCollection()
            .AddSingleton(new AccountDirectory<OperatorAccount>(OperatorAccount.Section, [configured]))
            .AddSingleton(new ConsoleOptions())
            .AddSingleton<TimeProvider>(new FixedTime(at))
            .AddSingleton<IAuthenticationService, NoAuthentication>()
            .BuildServiceProvider();
        var ticket = new AuthenticationTicket(session, new AuthenticationProperties { IssuedUtc = renewedAt ?? at }, ConsoleAccess.Scheme);
        var context = new CookieValidatePrincipalContext(
            new DefaultHttpContext { RequestServices = services },
            new AuthenticationScheme(ConsoleAccess.Scheme, null, typeof(CookieAuthenticationHandler)), new CookieAuthenticationOptions(), ticket);

        await ConsoleAccess.ValidateAsync(context);
        return context.Principal is not null;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Signing out does nothing here: what is checked is whether the session was rejected.</summary>
    private sealed class NoAuthentication : IAuthenticationService
    {
        public Task<AuthenticateResult> AuthenticateAsync(HttpContext context, string? scheme) => Task.FromResult(AuthenticateResult.NoResult());

        public Task ChallengeAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task ForbidAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignInAsync(HttpContext context, string? scheme, ClaimsPrincipal principal, AuthenticationProperties? properties) => Task.CompletedTask;

        public Task SignOutAsync(HttpContext context, string? scheme, AuthenticationProperties? properties) => Task.CompletedTask;
    }

    [Fact]
    public void The_chart_draws_one_bar_per_value_scaled_to_the_highest_with_its_title_and_text_encoded()
    {
        var svg = SvgChart.Bars("Per <minute>", [new Bar("10:00", 2), new Bar("10:01", 4), new Bar("<b>", 0)], "redemptions");

        svg.Should().StartWith("<svg").And.EndWith("</svg>");
        System.Text.RegularExpressions.Regex.Matches(svg, "<rect ").Should().HaveCount(3);
        svg.Should().Contain("Per &lt;minute&gt;").And.Contain("&lt;b&gt;").And.NotContain("<b>");
        svg.Should().Contain("height=\"184\"", "the highest bar fills the plot (220 high, less 28 below and 8 above)");
        svg.Should().Contain("height=\"92\"", "half the highest, half the height");
    }

    [Fact]
    public void An_empty_chart_is_still_a_chart()
    {
        SvgChart.Bars("Nothing", [], "redemptions").Should().Contain("0 bars");
    }

    [Theory]
    [InlineData(-5, "0 s")]
    [InlineData(42, "42 s")]
    [InlineData(600, "10 min")]
    [InlineData(9_000, "2.5 h")]
    [InlineData(259_200, "3 days")]
    public void Ages_read_in_the_unit_that_suits_them(double seconds, string shown)
    {
        Format.Age(TimeSpan.FromSeconds(seconds)).Should().Be(shown);
    }

    [Fact]
    public void Amounts_are_minor_units_exactly_whatever_their_size()
    {
        Format.Amount((long?)1_234_567L).Should().Be("1,234,567");
        Format.Amount((Int128)long.MaxValue * 3).Should().Be("27,670,116,110,564,327,421");
        Format.Amount((long?)null).Should().BeEmpty();
    }
}

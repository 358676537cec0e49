using System.Diagnostics;
using System.Net;
using EventLedger.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EventLedger.Tests.Hostile;

/// <summary>Password guessing is throttled per account and address, without locking out the till under attack or any other.</summary>
[Collection(HostileGroup.Name)]
public sealed class CredentialTests(SwitchFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task A_burst_of_wrong_passwords_for_one_account_is_throttled_without_an_oracle_and_leaves_other_tills_served()
    {
        using var till = fixture.Client();
        using var attacker = fixture.Client(SwitchFixture.OtherClientId, "not-the-password");
        using var rightGuess = fixture.Client(SwitchFixture.OtherClientId, SwitchFixture.OtherClientPassword);

        var statuses = new List<HttpStatusCode>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 40; i++)
        {
            using var response = await attacker.GetAsync($"/suv/v1/redemptions/{Guid.NewGuid()}");
            statuses.Add(response.StatusCode);
        }

        clock.Stop();
        using var guessedRight = await rightGuess.GetAsync($"/suv/v1/redemptions/{Guid.NewGuid()}");
        var tillAnswer = await till.RedeemAsync(Messages.Redemption(await fixture.ProvisionVoucherAsync()));

        output.WriteLine($"40 wrong passwords in {clock.ElapsedMilliseconds} ms: {statuses.Count(s => s == HttpStatusCode.Unauthorized)} × 401, " +
            $"{statuses.Count(s => s == HttpStatusCode.TooManyRequests)} × 429");
        statuses.Take(Accounts.SignInThrottle.PerAccountAndAddress).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Unauthorized));
        statuses.Skip(Accounts.SignInThrottle.PerAccountAndAddress).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.TooManyRequests),
            "past the limit the account is held off from that address without a password hash being run");
        guessedRight.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a right guess while throttled is told nothing more than a wrong one");
        guessedRight.Headers.RetryAfter.Should().NotBeNull();
        tillAnswer.Status.Should().Be(201, "another till is served normally during the attack");
    }

    [Fact]
    public async Task An_unknown_name_is_refused_the_same_way_as_a_known_one()
    {
        using var unknown = fixture.Client("no-such-till", "whatever");
        using var known = fixture.Client(SwitchFixture.ClientId, "wrong");

        using var forUnknown = await unknown.GetAsync($"/suv/v1/redemptions/{Guid.NewGuid()}");
        using var forKnown = await known.GetAsync($"/suv/v1/redemptions/{Guid.NewGuid()}");

        forUnknown.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        forKnown.StatusCode.Should().Be(forUnknown.StatusCode);
        (await forKnown.Content.ReadAsStringAsync()).Should().Contain("Unknown user or wrong password");
        (await forUnknown.Content.ReadAsStringAsync()).Should().Contain("Unknown user or wrong password");
    }
}

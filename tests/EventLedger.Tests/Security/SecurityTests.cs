using EventLedger.Accounts;
using EventLedger.Clients;
using EventLedger.Hosting;
using EventLedger.Providers;
using EventLedger.Security;

namespace EventLedger.Tests.Security;

public sealed class SecurityTests
{
    [Fact]
    public void A_password_hash_is_salted_and_verifies_only_its_password()
    {
        var first = PasswordHasher.Hash("correct horse", 10_000);
        var second = PasswordHasher.Hash("correct horse", 10_000);

        first.Should().NotBe(second).And.NotContain("correct horse").And.StartWith("PBKDF2-SHA256$10000$");
        PasswordHasher.Verify("correct horse", first).Should().BeTrue();
        PasswordHasher.Verify("correct horsf", first).Should().BeFalse();
    }

    [Theory]
    [InlineData("plain-text-password")]
    [InlineData("PBKDF2-SHA256$10$c2FsdA==$aGFzaA==")]
    [InlineData("PBKDF2-SHA256$100000$not base64$aGFzaA==")]
    public void A_client_configured_with_anything_but_a_proper_hash_stops_the_switch(string passwordHash)
    {
        var act = () => new AccountDirectory<OriginatorClient>(OriginatorClient.Section, [new OriginatorClient { Id = "22222222", PasswordHash = passwordHash }]);

        act.Should().Throw<StartupException>().WithMessage("*hash-password*");
    }

    [Fact]
    public void Authentication_accepts_the_right_password_repeatedly_and_nothing_else()
    {
        var directory = new AccountDirectory<OriginatorClient>(OriginatorClient.Section, [new OriginatorClient { Id = "22222222", PasswordHash = PasswordHasher.Hash("pw", 10_000) }]);

        directory.Authenticate("22222222", "pw").Should().NotBeNull();
        directory.Authenticate("22222222", "pw").Should().NotBeNull();
        directory.Authenticate("22222222", "pw2").Should().BeNull();
        directory.Authenticate("22222223", "pw").Should().BeNull();
    }

    [Theory]
    [InlineData("4444123456789012", "************9012")]
    [InlineData("12345678", "****5678")]
    [InlineData("1234567", "*******")]
    [InlineData("5", "*")]
    public void Codes_are_masked_to_their_last_four_only_when_long_enough(string code, string masked)
    {
        VoucherCodes.Mask(code).Should().Be(masked);
    }

    [Fact]
    public void The_keyed_hash_matches_the_same_code_and_depends_on_the_key()
    {
        var one = new VoucherCodes(new byte[32]);
        var other = new VoucherCodes(Enumerable.Repeat((byte)1, 32).ToArray());

        one.Hash("4444123456789012").Should().Be(one.Hash("4444123456789012"))
            .And.NotBe(one.Hash("4444123456789013"))
            .And.NotBe(other.Hash("4444123456789012"))
            .And.NotContain("4444123456789012");
    }

    [Fact]
    public void Routing_prefers_the_named_receiver_then_the_longest_code_prefix()
    {
        var directory = new ProviderDirectory(
        [
            Provider("44444444", "44"),
            Provider("55555555", "4455"),
        ]);

        directory.Route("44444444", "4455000").Should().BeSameAs(directory.ByInstitution("44444444"));
        directory.Route(null, "4455000")!.InstitutionId.Should().Be("55555555");
        directory.Route(null, "4400000")!.InstitutionId.Should().Be("44444444");
        directory.Route(null, "9900000").Should().BeNull();
        directory.Route("99999999", "4400000").Should().BeNull();
    }

    [Fact]
    public void A_prefix_claimed_by_two_providers_stops_the_switch()
    {
        var act = () => new ProviderDirectory([Provider("44444444", "44"), Provider("55555555", "44")]);

        act.Should().Throw<StartupException>();
    }

    private static ProviderOptions Provider(string id, string prefix) => new()
    {
        InstitutionId = id,
        BaseUrl = "http://127.0.0.1:1",
        VoucherCodePrefixes = [prefix],
    };
}

using EventLedger.Security;

namespace EventLedger.Tests.Integrity;

/// <summary>How the voucher's code and PIN are taken out of text from outside, cell by cell.</summary>
public sealed class SecretScrubberTests
{
    private const string Code = "4444123456789012";
    private const string Pin = "1234";
    private static readonly Secrets Known = new([Code], [Pin]);
    private static readonly VoucherCodes Codes = new(new byte[32]);

    [Theory]
    [InlineData("voucher 4444123456789012 redeemed", "voucher ************9012 redeemed")]
    [InlineData("PIN 1234.", "PIN ****.")]
    [InlineData("nothing secret", "nothing secret")]
    public void Free_text_loses_every_occurrence_of_a_known_secret(string text, string expected) =>
        SecretScrubber.Text(text, Known).Should().Be(expected);

    [Fact]
    public void Only_free_text_fields_are_searched_and_other_values_are_replaced_only_when_they_are_a_secret()
    {
        const string json = """{"id":"1","originator":{"terminalId":"T0001234"},"thirdPartyIdentifiers":[{"institutionId":"4","transactionIdentifier":"4444123456789012"}],"slipData":{"messageLines":[{"text":"pin 1234"}]},"detailMessage":{"formatErrors":[{"value":"x4444123456789012"}]}}""";

        SecretScrubber.Json(json, Known).Should().Be(
            """{"id":"1","originator":{"terminalId":"T0001234"},"thirdPartyIdentifiers":[{"institutionId":"4","transactionIdentifier":"************9012"}],"slipData":{"messageLines":[{"text":"pin ****"}]},"detailMessage":{"formatErrors":[{"value":"x************9012"}]}}""",
            "a terminal id holding the PIN's digits stays as it is: masked, it would give the PIN away beside the unmasked copy");
    }

    [Fact]
    public void A_document_without_a_secret_is_returned_byte_for_byte()
    {
        const string json = "{ \"a\" : [1, 2.50, \"b\"] }";

        SecretScrubber.Json(json, Known).Should().BeSameAs(json);
    }

    [Fact]
    public void Secrets_known_only_by_their_hashes_are_recognised_as_words_in_any_case()
    {
        const string code = "AB12-CD34-EF56";
        var secrets = Codes.Recognising(Codes.Hash(code), Codes.HashPin(Pin, "redemption-1"), "redemption-1");

        SecretScrubber.Text("code (ab12-cd34-ef56). pin 1234; other AB12-CD34-EF57", secrets)
            .Should().Be("code (**********ef56). pin ****; other AB12-CD34-EF57");
        SecretScrubber.Identifier(code, secrets).Should().Be("**********EF56");
    }

    [Fact]
    public void A_pin_hash_is_of_its_redemption_only()
    {
        Codes.HashPin(Pin, "redemption-1").Should().NotBe(Codes.HashPin(Pin, "redemption-2"));
        SecretScrubber.Text("pin 1234", Codes.Recognising(null, Codes.HashPin(Pin, "redemption-1"), "redemption-2")).Should().Be("pin 1234");
    }

    [Fact]
    public void A_secret_too_short_to_search_for_is_replaced_only_as_a_whole_value()
    {
        var shortCode = new Secrets(["5"], []);

        SecretScrubber.Text("5", shortCode).Should().Be("*");
        SecretScrubber.Text("page 5 of 15", shortCode).Should().Be("page 5 of 15");
    }
}

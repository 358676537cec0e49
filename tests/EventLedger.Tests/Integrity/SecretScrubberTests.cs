using EventLedger.Security;

namespace EventLedger.Tests.Integrity;

/// <summary>How the voucher's code and PIN are taken out of text from outside, cell by cell.</summary>
public sealed class SecretScrubberTests
{
    private const string Code = "4444123456789012";
    private const string Pin = "K7QX";
    private static readonly Secrets Known = new([Code, Pin]);
    private static readonly VoucherCodes Codes = new(new byte[32]);

    [Theory]
    [InlineData("voucher 4444123456789012 redeemed", "voucher ************9012 redeemed")]
    [InlineData("PIN k7qx.", "PIN ****.")]
    [InlineData("nothing secret", "nothing secret")]
    public void Free_text_loses_every_occurrence_of_a_known_secret_in_any_case(string text, string expected) =>
        SecretScrubber.Text(text, Known).Should().Be(expected);

    [Fact]
    public void Identifier_fields_are_replaced_only_when_the_whole_value_is_a_secret()
    {
        const string json = """{"id":"x-K7QX-1","thirdPartyIdentifiers":[{"institutionId":"4","transactionIdentifier":"4444123456789012"}],"note":"x-K7QX-1"}""";

        SecretScrubber.Json(json, Known).Should().Be(
            """{"id":"x-K7QX-1","thirdPartyIdentifiers":[{"institutionId":"4","transactionIdentifier":"************9012"}],"note":"x-****-1"}""");
    }

    [Fact]
    public void A_document_without_a_secret_is_returned_byte_for_byte()
    {
        const string json = "{ \"a\" : [1, 2.50, \"b\"] }";

        SecretScrubber.Json(json, Known).Should().BeSameAs(json);
    }

    [Fact]
    public void A_secret_known_only_by_its_hash_is_recognised_as_a_word()
    {
        var secrets = Codes.Recognising(Codes.Hash(Code), Codes.HashPin(Pin));

        SecretScrubber.Text($"code:{Code}, pin {Pin}; other 4444123456789013", secrets)
            .Should().Be("code:************9012, pin ****; other 4444123456789013");
        SecretScrubber.Identifier(Code, secrets).Should().Be("************9012");
    }

    [Fact]
    public void A_secret_too_short_to_search_for_is_replaced_only_as_a_whole_value()
    {
        var shortCode = new Secrets(["5"]);

        SecretScrubber.Text("5", shortCode).Should().Be(SecretScrubber.PinMask);
        SecretScrubber.Text("page 5 of 15", shortCode).Should().Be("page 5 of 15");
    }
}

using System.Text;
using System.Text.Json.Nodes;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;

namespace EventLedger.Tests.Suv;

/// <summary>Each constraint of the contract, broken once on an otherwise valid message.</summary>
public sealed class ValidationTests
{
    private const string LongText = "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789X";

    public static TheoryData<string, string?, string> RedemptionViolations => new()
    {
        // path to change, new value (null removes the field), expected message
        { "id", null, "id may not be null" },
        { "id", "123", "id must match" },
        { "time", null, "time may not be null" },
        { "time", "yesterday", "time must be an RFC 3339 date-time" },
        { "time", "2018-13-45T10:00:00Z", "time must be an RFC 3339 date-time" },
        { "originator", null, "originator may not be null" },
        { "originator.terminalId", null, "originator.terminalId may not be null" },
        { "originator.terminalId", "term001", "originator.terminalId size must be between 8 and 8" },
        { "originator.terminalId", "term00001", "originator.terminalId size must be between 8 and 8" },
        { "originator.operatorId", "0123456789012345678901234567890", "originator.operatorId size must be between 0 and 30" },
        { "originator.institution", null, "originator.institution may not be null" },
        { "originator.institution.id", null, "originator.institution.id may not be null" },
        { "originator.merchant", null, "originator.merchant may not be null" },
        { "originator.merchant.merchantId", "merchant123456", "originator.merchant.merchantId size must be between 15 and 15" },
        { "originator.merchant.merchantType", "44a4", "originator.merchant.merchantType must match" },
        { "originator.merchant.merchantType", "44444", "originator.merchant.merchantType must match" },
        { "originator.merchant.merchantName", null, "originator.merchant.merchantName may not be null" },
        { "originator.merchant.merchantName.name", "012345678901234567890123", "originator.merchant.merchantName.name size must be between 0 and 23" },
        { "originator.merchant.merchantName.city", "01234567890123", "originator.merchant.merchantName.city size must be between 0 and 13" },
        { "originator.merchant.merchantName.region", "WPX", "originator.merchant.merchantName.region size must be between 0 and 2" },
        { "originator.merchant.merchantName.country", null, "originator.merchant.merchantName.country may not be null" },
        { "client", null, "client may not be null" },
        { "client.id", null, "client.id may not be null" },
        { "client.name", "01234567890123456789012345678901234567890", "client.name size must be between 0 and 40" },
        { "receiver.name", null, "receiver.name may not be null" },
        { "thirdPartyIdentifiers", null, "thirdPartyIdentifiers may not be null" },
        { "thirdPartyIdentifiers.0.institutionId", null, "thirdPartyIdentifiers[0].institutionId may not be null" },
        { "thirdPartyIdentifiers.0.transactionIdentifier", LongText, "thirdPartyIdentifiers[0].transactionIdentifier size must be between 1 and 100" },
        { "voucher", null, "voucher may not be null" },
        { "voucher.code", null, "voucher.code may not be null" },
        { "voucher.expiryDate", "tomorrow", "voucher.expiryDate must be an RFC 3339 date-time" },
        { "voucher.serialNumber", "01234567890123456789012345678901234567890", "voucher.serialNumber size must be between 0 and 40" },
        { "tranType", "SHOPPING", "tranType must be one of" },
        { "srcAccType", "PIGGY_BANK", "srcAccType must be one of" },
        { "stan", LongText, "stan size must be between 0 and 100" },
        { "slipData.issuerReference", "lower-case", "slipData.issuerReference must match" },
        { "posInfo.posConditionCode", "SOMETIMES", "posInfo.posConditionCode must be one of" },
    };

    [Theory]
    [MemberData(nameof(RedemptionViolations))]
    public void A_redemption_request_breaking_one_rule_gets_that_rule_back(string path, string? value, string expected)
    {
        var node = RedemptionRequest();
        node["slipData"] = new JsonObject { ["issuerReference"] = "REF1" };
        node["posInfo"] = new JsonObject { ["posConditionCode"] = "NORMAL_PRESENTMENT" };
        Set(node, path, value);

        var error = Read<RedemptionRequest>(node, SuvValidator.Validate);

        error.Should().NotBeNull();
        error!.ErrorType.Should().Be(ErrorTypes.FormatError);
        Messages(error).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    public static TheoryData<string, JsonNode?, string> AmountViolations => new()
    {
        { "currency", "ZAR", "amounts.requestAmount.currency must match" },
        { "currency", "7100", "amounts.requestAmount.currency must match" },
        { "currency", null, "amounts.requestAmount.currency may not be null" },
        { "amount", null, "amounts.requestAmount.amount may not be null" },
        { "amount", -1, "amounts.requestAmount.amount must be greater than or equal to 0" },
        { "ledgerIndicator", "SIDEWAYS", "amounts.requestAmount.ledgerIndicator must be one of" },
    };

    [Theory]
    [MemberData(nameof(AmountViolations))]
    public void An_amount_breaking_one_rule_gets_that_rule_back(string field, JsonNode? value, string expected)
    {
        var node = RedemptionRequest();
        var amount = new JsonObject { ["amount"] = 1000, ["currency"] = "710" };
        amount.Remove(field);
        if (value is not null)
        {
            amount[field] = value;
        }

        node["amounts"] = new JsonObject { ["requestAmount"] = amount };

        Messages(Read<RedemptionRequest>(node, SuvValidator.Validate)!).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void A_numeric_currency_is_read_as_its_digits()
    {
        var node = RedemptionRequest();
        node["amounts"] = new JsonObject { ["requestAmount"] = new JsonObject { ["amount"] = 1000, ["currency"] = 710 } };

        var read = SuvReader.Read<RedemptionRequest>(Bytes(node), SuvValidator.Validate);

        read.Error.Should().BeNull();
        read.Message!.Amounts!.RequestAmount!.Currency.Should().Be("710");
        SuvJson.Serialize(read.Message).Should().Contain("\"currency\":\"710\"");
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_field_and_keeps_the_message_id()
    {
        var node = RedemptionRequest();
        node["amounts"] = new JsonObject { ["requestAmount"] = new JsonObject { ["amount"] = "lots", ["currency"] = "710" } };

        var error = Read<RedemptionRequest>(node, SuvValidator.Validate)!;

        error.Id.Should().Be(node["id"]!.GetValue<string>());
        Fields(error).Should().Equal("amounts.requestAmount.amount");
    }

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var node = RedemptionRequest();
        node.Remove("client");
        node["originator"]!["terminalId"] = "x";

        var error = Read<RedemptionRequest>(node, SuvValidator.Validate)!;

        Fields(error).Should().BeEquivalentTo("client", "originator.terminalId");
    }

    [Fact]
    public void A_too_long_voucher_code_is_refused_without_echoing_it()
    {
        var node = RedemptionRequest();
        node["voucher"]!["code"] = new string('9', 41);

        var error = Read<RedemptionRequest>(node, SuvValidator.Validate)!;

        error.DetailMessage!["formatErrors"]![0]!["value"].Should().BeNull();
        SuvJson.Serialize(error).Should().NotContain(new string('9', 41));
    }

    [Theory]
    [InlineData("CLEAR_PIN", "pin", "voucher.pin.pin may not be null")]
    [InlineData("ENCRYPTED_PIN", "pinBlock", "voucher.pin.pinBlock may not be null")]
    [InlineData("HASHED_PIN", "hash", "voucher.pin.hash may not be null")]
    [InlineData("PIGEON_PIN", "pin", "voucher.pin.type must be one of")]
    public void Each_pin_type_needs_its_own_field(string type, string field, string expected)
    {
        var node = RedemptionRequest();
        node["voucher"]!["pin"] = new JsonObject { ["type"] = type, [field == "pin" ? "pinBlock" : "pin"] = "0000" };

        Messages(Read<RedemptionRequest>(node, SuvValidator.Validate)!).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Fact]
    public void A_clear_pin_that_breaks_its_pattern_is_never_echoed()
    {
        var node = RedemptionRequest();
        node["voucher"]!["pin"] = new JsonObject { ["type"] = "CLEAR_PIN", ["pin"] = "123456789012345678901" };

        var error = Read<RedemptionRequest>(node, SuvValidator.Validate)!;

        SuvJson.Serialize(error).Should().NotContain("123456789012345678901");
    }

    [Theory]
    [InlineData(null, "reversalReason may not be null")]
    [InlineData("LATE", "reversalReason must be one of")]
    public void A_reversal_needs_a_known_reason(string? reason, string expected)
    {
        var node = JsonNode.Parse(ExampleMessagesTests.Example("BasicReversal.json"))!.AsObject();
        node.Remove("reversalReason");
        if (reason is not null)
        {
            node["reversalReason"] = reason;
        }

        Messages(Read<BasicReversal>(node, SuvValidator.Validate)!).Should().ContainSingle().Which.Should().StartWith(expected);
    }

    [Theory]
    [InlineData("requestId", "requestId may not be null")]
    [InlineData("thirdPartyIdentifiers", "thirdPartyIdentifiers may not be null")]
    [InlineData("time", "time may not be null")]
    public void An_advice_needs_its_references(string field, string expected)
    {
        var node = JsonNode.Parse(ExampleMessagesTests.Example("BasicAdvice.json"))!.AsObject();
        node.Remove(field);

        var error = Read<BasicAdvice>(node, SuvValidator.Validate)!;

        Messages(error).Should().ContainSingle().Which.Should().Be(expected);
        error.Id.Should().Be("a50022c7-2751-5bf9-dfbb-eabbd7b5f743");
    }

    [Theory]
    [InlineData("{not json", "body is not valid JSON")]
    [InlineData("[1,2]", "body must be a JSON object")]
    [InlineData("", "body is not valid JSON")]
    public void A_body_that_is_not_a_json_object_is_a_format_error(string body, string expected)
    {
        var read = SuvReader.Read<BasicAdvice>(Encoding.UTF8.GetBytes(body), SuvValidator.Validate);

        Messages(read.Error!).Should().Equal(expected);
        read.Status.Should().Be(400);
    }

    [Fact]
    public void Unknown_fields_are_ignored()
    {
        var node = RedemptionRequest();
        node["customer"] = new JsonObject { ["name"] = "added in v1.24" };

        SuvReader.Read<RedemptionRequest>(Bytes(node), SuvValidator.Validate).Error.Should().BeNull();
    }

    [Fact]
    public void Json_nested_past_the_limit_is_refused_before_binding()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);

        var read = SuvReader.Read<BasicAdvice>(Encoding.UTF8.GetBytes(deep), SuvValidator.Validate);

        read.Error!.ErrorType.Should().Be(ErrorTypes.FormatError);
    }

    private static JsonObject RedemptionRequest() =>
        JsonNode.Parse(ExampleMessagesTests.Example("RedemptionRequest.json"))!.AsObject();

    private static void Set(JsonObject root, string path, string? value)
    {
        var parts = path.Split('.');
        JsonNode parent = root;
        foreach (var part in parts[..^1])
        {
            parent = int.TryParse(part, out var index) ? parent[index]! : parent[part]!;
        }

        var last = parts[^1];
        var target = parent.AsObject();
        target.Remove(last);
        if (value is not null)
        {
            target[last] = value;
        }
    }

    private static ErrorDetail? Read<T>(JsonObject node, Func<T, IReadOnlyList<FormatError>> validate) where T : class =>
        SuvReader.Read(Bytes(node), validate).Error;

    private static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    private static IEnumerable<string> Messages(ErrorDetail error) =>
        error.DetailMessage!["formatErrors"]!.AsArray().Select(e => e!["msg"]!.GetValue<string>());

    private static IEnumerable<string> Fields(ErrorDetail error) =>
        error.DetailMessage!["formatErrors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>());
}

using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EventLedger.ApiReference;
using EventLedger.Tests.Infrastructure;
using Microsoft.OpenApi;

namespace EventLedger.Tests.ApiReference;

/// <summary>What operators and integrators rely on beyond the SUV calls themselves.</summary>
[Collection(SwitchTests.Name)]
public sealed class OperabilityTests(SwitchFixture fixture)
{
    [Fact]
    public async Task The_openapi_document_describes_every_suv_operation_with_its_messages()
    {
        using var client = fixture.Host.Server.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!["operationId"]?.GetValue<string>()))
            .ToList();
        operations.Should().Contain(["lookupVoucher", "redeemVoucher", "confirmRedeem", "reverseRedeem", "lookupRedemption"]);
        var schemas = document["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToList();
        schemas.Should().Contain(["RedemptionRequest", "RedemptionResponse", "BasicAdvice", "BasicReversal", "ErrorDetail", "VoucherLookupResponse"]);
    }

    [Fact]
    public async Task The_api_reference_is_valid_openapi_named_grouped_and_described_like_the_contract_with_basic_auth()
    {
        using var client = fixture.Host.Server.CreateClient();
        var json = await client.GetStringAsync("/openapi/v1.json");

        var read = OpenApiDocument.Parse(json, "json");

        read.Diagnostic!.Errors.Should().BeEmpty();
        var document = read.Document!;
        document.Validate(ValidationRuleSet.GetDefaultRuleSet()).Should().BeEmpty();
        document.Components!.SecuritySchemes!.Should().ContainKey("basic").WhoseValue.Scheme.Should().Be("basic");
        document.Security.Should().ContainSingle();
        var operations = document.Paths.SelectMany(p => p.Value.Operations!.Values).ToList();
        operations.Select(o => o.OperationId).Should().BeEquivalentTo(ApiCatalog.All.Select(o => o.Id), "every operation is described, and only those");
        foreach (var operation in operations)
        {
            var described = ApiCatalog.Find(operation.OperationId)!;
            operation.Tags!.Select(t => t.Name).Should().Equal([described.Group], operation.OperationId);
            operation.Summary.Should().Be(described.Summary);
            operation.Description.Should().NotBeNullOrWhiteSpace();
            operation.Responses!.Keys.Should().BeEquivalentTo(described.Answers.Keys.Select(k => k.ToString(CultureInfo.InvariantCulture)), operation.OperationId);
        }

        var suv = operations.Where(o => o.Tags!.Single().Name == ApiCatalog.Suv).Select(o => o.OperationId).ToList();
        suv.Should().BeEquivalentTo(["lookupVoucher", "redeemVoucher", "confirmRedeem", "reverseRedeem", "lookupRedemption"]);
        var redeem = operations.Single(o => o.OperationId == "redeemVoucher");
        redeem.RequestBody!.Content!["application/json"].Example!["voucher"]!["code"]!.GetValue<string>().Should().NotBeEmpty("Electrum's example request is shown");
        redeem.Responses!["201"].Content!["application/json"].Example!["thirdPartyIdentifiers"].Should().NotBeNull();
        json.Should().NotContain("EventLedger.Redemptions.").And.NotContain("POST_suv_v1", "handler names and route-made names are not for readers");
    }

    [Fact]
    public async Task The_reference_page_is_served_from_the_switch_with_no_vendor_buttons_agent_or_cdn_fonts()
    {
        using var client = fixture.Host.Server.CreateClient();

        var page = await client.GetStringAsync("/docs/");

        page.Should().Contain("<title>EventLedger API</title>").And.Contain("\"hideClientButton\":true").And.Contain("\"withDefaultFonts\":false")
            .And.Contain("\"agent\":{\"disabled\":true}").And.Contain("\"_integration\":null").And.NotContain("https://");
    }

    [Fact]
    public async Task Liveness_and_readiness_answer_without_credentials()
    {
        using var client = fixture.Host.Server.CreateClient();

        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

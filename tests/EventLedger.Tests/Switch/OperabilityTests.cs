using System.Net;
using System.Text.Json.Nodes;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Switch;

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
    public async Task Liveness_and_readiness_answer_without_credentials()
    {
        using var client = fixture.Host.Server.CreateClient();

        (await client.GetAsync("/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}

using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;
using EventLedger.Suv.Validation;

namespace EventLedger.Tests.Integrity;

/// <summary>The ids the switch presents upstream, cell by cell.</summary>
public sealed class UpstreamIdsTests
{
    private const string RequestId = "ca487760-974c-8313-a27d-1d728c54e6fd";

    [Fact]
    public void One_request_id_from_two_clients_is_two_ids_upstream_and_neither_is_the_originators()
    {
        var first = UpstreamIds.Request("22222222", RequestId);
        var second = UpstreamIds.Request("77777777", RequestId);

        first.Should().NotBe(second).And.NotBe(RequestId);
        Patterns.Uuid().IsMatch(first).Should().BeTrue("providers validate ids as UUIDs");
        first.Should().Be(first.ToLowerInvariant());
    }

    [Fact]
    public void An_id_spelt_in_another_case_is_the_same_id_upstream_every_time()
    {
        UpstreamIds.Request("22222222", RequestId.ToUpperInvariant()).Should().Be(UpstreamIds.Request("22222222", RequestId));
        UpstreamIds.Advice("22222222", RequestId, RequestId).Should().NotBe(UpstreamIds.Request("22222222", RequestId), "an advice never shares its request's id");
        UpstreamIds.Advice("22222222", RequestId, "aa75b479-3423-a523-56ec-971ee9aad17d")
            .Should().NotBe(UpstreamIds.Advice("22222222", "787da363-58d9-4b6a-17e7-7c68ded7f040", "aa75b479-3423-a523-56ec-971ee9aad17d"),
                "a till reusing an advice id on another request still sends the provider two ids");
    }

    [Fact]
    public void An_advice_goes_upstream_under_the_switchs_ids_with_the_identifiers_of_the_redemption()
    {
        var identifiers = new List<ThirdPartyIdentifier> { new() { InstitutionId = "44444444", TransactionIdentifier = "PREF1" } };
        var redemption = new Redemption.Requested
        {
            ClientId = "22222222", RequestId = RequestId, ProviderId = "44444444", UpstreamRequestId = "0b1c0d2e-3f40-8a5b-8c6d-7e8f90a1b2c3", Identifiers = identifiers,
        };
        var originators = new BasicReversal
        {
            Id = "aa75b479-3423-a523-56ec-971ee9aad17d", RequestId = RequestId.ToUpperInvariant(), Time = "2026-11-25T10:00:00Z",
            ThirdPartyIdentifiers = [new() { InstitutionId = "11111111", TransactionIdentifier = "ORIG" }], ReversalReason = "CANCELLED",
        };

        var upstream = SuvJson.Deserialize<BasicReversal>(
            UpstreamIds.AdviceJson(AdviceKind.Reversal, SuvJson.Serialize(originators), "22222222", originators.Id!, redemption));

        upstream.Should().BeEquivalentTo(originators with
        {
            Id = UpstreamIds.Advice("22222222", RequestId, originators.Id!),
            RequestId = redemption.UpstreamRequestId,
            ThirdPartyIdentifiers = identifiers,
        });
    }
}

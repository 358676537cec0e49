using EventLedger.ProviderSimulator;
using EventLedger.Redemptions;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Integrity;

/// <summary>What the provider sees of a redemption is one redemption, under identifiers only the switch sets.</summary>
[Collection(SwitchTests.Name)]
public sealed class IdentifierTests(SwitchFixture fixture) : IDisposable
{
    private readonly HttpClient _client = fixture.Client();
    private readonly HttpClient _other = fixture.Client(SwitchFixture.OtherClientId, SwitchFixture.OtherClientPassword);

    public void Dispose()
    {
        fixture.SimulatorControl.Clear();
        _client.Dispose();
        _other.Dispose();
    }

    [Fact]
    public async Task Two_originators_using_one_request_id_redeem_two_vouchers_and_a_reversal_of_one_leaves_the_other_redeemed()
    {
        var shared = Guid.NewGuid().ToString();
        var first = Messages.Redemption(await fixture.ProvisionVoucherAsync(), shared);
        var second = Messages.Redemption(await fixture.ProvisionVoucherAsync(), shared, clientId: SwitchFixture.OtherClientId);

        var firstAnswer = await _client.RedeemAsync(first);
        var secondAnswer = await _other.RedeemAsync(second);
        (await _client.ReverseAsync(Messages.Reversal(shared))).Status.Should().Be(202);

        firstAnswer.Status.Should().Be(201);
        secondAnswer.Status.Should().Be(201, "the provider must not take the second originator's request for a duplicate of the first's");
        var redeemed = fixture.SimulatorControl.Received().Where(m => m.Operation == Operation.Redeem && m.Count > 0).Select(m => m.Id).ToList();
        var firstAtProvider = fixture.SimulatorBook.Redemptions().Single(r => r.Voucher.Code == first.Voucher!.Code);
        var secondAtProvider = fixture.SimulatorBook.Redemptions().Single(r => r.Voucher.Code == second.Voucher!.Code);
        firstAtProvider.RequestId.Should().NotBe(secondAtProvider.RequestId).And.NotBe(shared);
        redeemed.Should().Contain([firstAtProvider.RequestId, secondAtProvider.RequestId]);
        await Eventually.ReturnsAsync(() => firstAtProvider.State, s => s == SimulatedRedemptionState.Reversed, TimeSpan.FromSeconds(20), "the first reversed");
        secondAtProvider.State.Should().Be(SimulatedRedemptionState.Redeemed, "the other originator's redemption stands");
    }

    [Fact]
    public async Task A_reversal_spelt_in_another_case_reaches_the_provider_under_the_request_id_it_received_with_the_response_identifiers()
    {
        var id = Guid.NewGuid().ToString();
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync(), id.ToUpperInvariant());

        (await _client.RedeemAsync(request)).Status.Should().Be(201);
        var reversal = Messages.Reversal(id.ToLowerInvariant());
        (await _client.ReverseAsync(reversal)).Status.Should().Be(202);

        var atProvider = fixture.SimulatorBook.Redemptions().Single(r => r.Voucher.Code == request.Voucher!.Code);
        await Eventually.ReturnsAsync(() => atProvider.State, s => s == SimulatedRedemptionState.Reversed, TimeSpan.FromSeconds(20),
            "the reversal to reverse what the provider redeemed (a provider comparing ids exactly)");
        var redeem = fixture.SimulatorControl.Received().Single(m => m.Operation == Operation.Redeem && m.Id == atProvider.RequestId);
        var reversed = fixture.SimulatorControl.Received().Single(m => m.Operation == Operation.ReverseRedemption && m.RequestId == atProvider.RequestId);
        reversed.Id.Should().NotBe(reversal.Id, "advices go upstream under the switch's own ids too");
        // The simulator's response gave back the request's identifiers and added its own reference:
        // the advice carries exactly that array, in that order.
        reversed.Identifiers.Should().Equal(
            [.. redeem.Identifiers!, new ThirdPartyIdentifier { InstitutionId = SwitchFixture.SimulatedProvider, TransactionIdentifier = atProvider.Reference }]);
        var view = await Eventually.ReturnsAsync(() => fixture.Ledger.ViewAsync(id), v => v?.Status == TransactionStatus.Reversed,
            TimeSpan.FromSeconds(20), "the view of the reversal");
        view!.UpstreamRequestId.Should().Be(atProvider.RequestId, "operators and finance find the provider's id in the ledger");
    }

    [Fact]
    public async Task An_identifier_an_originator_fills_in_under_the_switchs_institution_is_replaced_by_the_switchs_own()
    {
        var request = Messages.Redemption(await fixture.ProvisionVoucherAsync()) is var r
            ? r with { ThirdPartyIdentifiers = [.. r.ThirdPartyIdentifiers!, new ThirdPartyIdentifier { InstitutionId = SwitchFixture.SwitchInstitution, TransactionIdentifier = "FORGED01" }] }
            : null!;

        var answer = await _client.RedeemAsync(request);

        answer.Status.Should().Be(201);
        var atProvider = fixture.SimulatorBook.Redemptions().Single(x => x.Voucher.Code == request.Voucher!.Code);
        var sent = fixture.SimulatorControl.Received().Single(m => m.Operation == Operation.Redeem && m.Id == atProvider.RequestId);
        var requested = (await fixture.Ledger.EventsAsync(request.Id!)).OfType<RedemptionRequested>().Single();
        sent.Identifiers.Should().ContainSingle(t => t.InstitutionId == SwitchFixture.SwitchInstitution)
            .Which.TransactionIdentifier.Should().Be(requested.SwitchReference);
        sent.Identifiers.Should().NotContain(t => t.TransactionIdentifier == "FORGED01");
        answer.Body.Should().NotContain("FORGED01");
    }
}

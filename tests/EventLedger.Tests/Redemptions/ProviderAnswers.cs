using System.Text;
using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Redemptions;

/// <summary>What a provider may answer a redemption with, as the tables of docs/protocol.md meet it.</summary>
public static class ProviderAnswers
{
    public const string SwitchReversalId = "f0000000-0000-0000-0000-000000000001";

    public static UpstreamOutcome Approval(bool echoSwitchReference = false)
    {
        var upstream = RedemptionWire.Upstream(Given.Command());
        var identifiers = upstream.ThirdPartyIdentifiers!.Where(t => echoSwitchReference || t.InstitutionId != "33333333").ToList();
        var response = new RedemptionResponse
        {
            Id = upstream.Id, Time = "2026-11-25T10:03:04Z", Originator = upstream.Originator, Client = upstream.Client,
            Receiver = new Institution { Id = "44444444", Name = "Provider" },
            ThirdPartyIdentifiers = [.. identifiers, new ThirdPartyIdentifier { InstitutionId = "44444444", TransactionIdentifier = "PREF1" }],
            Voucher = new Voucher { Code = "4444123456789012", SerialNumber = "S1" },
            Amounts = new Amounts { ApprovedAmount = new LedgerAmount { Amount = 10_000, Currency = "710" } },
        };
        return RedemptionWire.Classify(Answered(201, SuvJson.Serialize(response)), Given.Command());
    }

    public static UpstreamResult.Answered Answered(int status, string body) => new UpstreamResult.Answered(status, Encoding.UTF8.GetBytes(body));

    public static string ErrorJson(string errorType) => SuvJson.Serialize(ErrorDetail.Of(errorType, "declined", "x"));

    public static ErrorDetail Error(OriginatorAnswer answer) => SuvJson.Deserialize<ErrorDetail>(answer.Json);
}

using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Infrastructure;

/// <summary>Valid messages to start from; tests change one thing at a time.</summary>
public static class Messages
{
    public const string Time = "2026-11-25T10:03:03.504Z";

    public const string MerchantId = "merchant1234567";

    public static Originator Originator(string institutionId = "11111111", string merchantId = MerchantId) => new()
    {
        Institution = new Institution { Id = institutionId, Name = "Buy Stuff Shop" },
        TerminalId = "term0001",
        Merchant = new Merchant
        {
            MerchantType = "4444",
            MerchantId = merchantId,
            MerchantName = new MerchantName { Name = "Buy Stuff Shop", City = "Cape Town", Region = "WP", Country = "ZA" },
        },
    };

    public static RedemptionRequest Redemption(
        string code, string? id = null, string clientId = SwitchFixture.ClientId, string? receiverId = null, string merchantId = MerchantId) => new()
    {
        Id = id ?? Guid.NewGuid().ToString(),
        Time = Time,
        Originator = Originator(merchantId: merchantId),
        Client = new Institution { Id = clientId, Name = "TransAcquire Co" },
        Receiver = receiverId is null ? null : new Institution { Id = receiverId, Name = "Provider" },
        ThirdPartyIdentifiers =
        [
            new ThirdPartyIdentifier { InstitutionId = "11111111", TransactionIdentifier = "ORIG0001" },
            new ThirdPartyIdentifier { InstitutionId = clientId, TransactionIdentifier = "CLNT0001" },
        ],
        Voucher = new Voucher { Code = code },
        Amounts = new Amounts { RequestAmount = new LedgerAmount { Amount = 10_000, Currency = "710" } },
    };

    public static BasicAdvice Confirmation(string requestId, string? id = null) => new()
    {
        Id = id ?? Guid.NewGuid().ToString(),
        RequestId = requestId,
        Time = Time,
        ThirdPartyIdentifiers = [new ThirdPartyIdentifier { InstitutionId = "11111111", TransactionIdentifier = "ORIG0001" }],
    };

    public static BasicReversal Reversal(string requestId, string? id = null, string reason = "CANCELLED") => new()
    {
        Id = id ?? Guid.NewGuid().ToString(),
        RequestId = requestId,
        Time = Time,
        ThirdPartyIdentifiers = [new ThirdPartyIdentifier { InstitutionId = "11111111", TransactionIdentifier = "ORIG0001" }],
        ReversalReason = reason,
    };
}

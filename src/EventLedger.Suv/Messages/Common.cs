namespace EventLedger.Suv.Messages;

// SUV v1.14 message models. Every wire value that the contract types as a string stays a string
// here (ids, times, codes, enum values) so that it round-trips byte-identical and so that values
// added by later contract versions pass through; validation (SuvValidator) enforces the contract.

public sealed record Institution
{
    public string? Id { get; init; }
    public string? Name { get; init; }
}

public sealed record MerchantName
{
    public string? Name { get; init; }
    public string? City { get; init; }
    public string? Region { get; init; }
    public string? Country { get; init; }
}

public sealed record Merchant
{
    public string? MerchantType { get; init; }
    public string? MerchantId { get; init; }
    public MerchantName? MerchantName { get; init; }
}

public sealed record Originator
{
    public Institution? Institution { get; init; }
    public string? TerminalId { get; init; }
    public Merchant? Merchant { get; init; }
    public string? OperatorId { get; init; }
}

public sealed record ThirdPartyIdentifier
{
    public string? InstitutionId { get; init; }
    public string? TransactionIdentifier { get; init; }
}

/// <summary>An amount in minor units (R799.95 is 79995) with its ISO 4217 numeric currency.</summary>
public sealed record LedgerAmount
{
    public long? Amount { get; init; }
    public string? Currency { get; init; }
    public string? LedgerIndicator { get; init; }
}

public sealed record Amounts
{
    public LedgerAmount? RequestAmount { get; init; }
    public LedgerAmount? ApprovedAmount { get; init; }
    public LedgerAmount? FeeAmount { get; init; }
    public LedgerAmount? BalanceAmount { get; init; }
    public Dictionary<string, LedgerAmount>? AdditionalAmounts { get; init; }
}

public sealed record EncryptionParameters
{
    public string? PinBlockFormat { get; init; }
    public string? AccountNumber { get; init; }
    public int? KeyIndex { get; init; }
}

public sealed record HashedPinParameters
{
    public string? Name { get; init; }
}

/// <summary>
/// The contract's Pin is polymorphic on <c>type</c> (CLEAR_PIN, ENCRYPTED_PIN, HASHED_PIN); one flat
/// record carries all three shapes and validation checks the fields each type requires.
/// </summary>
public sealed record Pin
{
    public string? Type { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("pin")]
    public string? ClearPin { get; init; }
    public string? PinBlock { get; init; }
    public EncryptionParameters? EncryptionParameters { get; init; }
    public string? Hash { get; init; }
    public HashedPinParameters? HashedPinParameters { get; init; }
}

public sealed record Voucher
{
    public string? Code { get; init; }
    public string? ExpiryDate { get; init; }
    public List<string>? RedeemInstructions { get; init; }
    public string? SerialNumber { get; init; }
    public Pin? Pin { get; init; }
}

public sealed record Barcode
{
    public string? Data { get; init; }
    public string? Encoding { get; init; }
}

public sealed record SlipLine
{
    public Barcode? Barcode { get; init; }
    public string? Text { get; init; }
    public double? FontWidthScaleFactor { get; init; }
    public double? FontHeightScaleFactor { get; init; }
    public bool? Line { get; init; }
    public bool? Cut { get; init; }
}

public sealed record SlipData
{
    public List<SlipLine>? MessageLines { get; init; }
    public int? SlipWidth { get; init; }
    public string? IssuerReference { get; init; }
}

public sealed record PosEntryMode
{
    public string? PanEntryMode { get; init; }
    public string? PinEntryCapability { get; init; }
}

public sealed record PosInfo
{
    public PosEntryMode? EntryMode { get; init; }
    public string? PosConditionCode { get; init; }
}

public sealed record Product
{
    public string? ProductId { get; init; }
    public string? Barcode { get; init; }
    public string? Name { get; init; }
}

public sealed record Tender
{
    public string? AccountType { get; init; }
    public LedgerAmount? Amount { get; init; }
    public string? CardNumber { get; init; }
    public string? Reference { get; init; }
    public string? TenderType { get; init; }
}

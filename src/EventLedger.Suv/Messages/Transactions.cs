namespace EventLedger.Suv.Messages;

/// <summary>The fields every SUV transaction message (request or response) shares.</summary>
public abstract record SuvTransaction
{
    public string? Id { get; init; }
    public string? Time { get; init; }
    public Originator? Originator { get; init; }
    public Institution? Client { get; init; }
    public Institution? SettlementEntity { get; init; }
    public Institution? Receiver { get; init; }
    public List<ThirdPartyIdentifier>? ThirdPartyIdentifiers { get; init; }
    public SlipData? SlipData { get; init; }
    public string? BasketRef { get; init; }
    public string? TranType { get; init; }
    public string? SrcAccType { get; init; }
    public string? DestAccType { get; init; }
    public string? Stan { get; init; }
    public string? Rrn { get; init; }
    public PosInfo? PosInfo { get; init; }
}

public sealed record RedemptionRequest : SuvTransaction
{
    public Voucher? Voucher { get; init; }
    public Amounts? Amounts { get; init; }
}

public sealed record RedemptionResponse : SuvTransaction
{
    public Voucher? Voucher { get; init; }
    public Amounts? Amounts { get; init; }
}

public sealed record ProvisionRequest : SuvTransaction
{
    public Amounts? Amounts { get; init; }
    public List<Tender>? Tenders { get; init; }
    public Voucher? Voucher { get; init; }
    public Product? Product { get; init; }
}

public sealed record ProvisionResponse : SuvTransaction
{
    public Amounts? Amounts { get; init; }
    public Voucher? Voucher { get; init; }
    public Product? Product { get; init; }
}

public sealed record VoucherLookupResponse
{
    public PosInfo? PosInfo { get; init; }
    public Institution? SettlementEntity { get; init; }
    public Institution? Receiver { get; init; }
    public Amounts? Amounts { get; init; }
    public Voucher? Voucher { get; init; }
    public Product? Product { get; init; }
}

namespace EventLedger.Suv.Messages;

/// <summary>A confirmation (BasicAdvice) or the base of a reversal: it refers to an earlier request.</summary>
public record BasicAdvice
{
    public string? Id { get; init; }
    public string? RequestId { get; init; }
    public string? Time { get; init; }
    public List<ThirdPartyIdentifier>? ThirdPartyIdentifiers { get; init; }
    public string? Stan { get; init; }
    public string? Rrn { get; init; }
    public Amounts? Amounts { get; init; }
}

public sealed record BasicReversal : BasicAdvice
{
    public string? ReversalReason { get; init; }
}

public sealed record TenderAdvice : BasicAdvice
{
    public List<Tender>? Tenders { get; init; }
}

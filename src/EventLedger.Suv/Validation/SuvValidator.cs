using System.Globalization;
using EventLedger.Suv.Messages;

namespace EventLedger.Suv.Validation;

/// <summary>
/// The v1.14 contract's constraints for each message, plus the switch's own explicit limits on
/// fields the contract leaves unbounded (documented in docs/protocol.md).
/// </summary>
public static partial class SuvValidator
{
    /// <summary>Longest value accepted in a field the contract leaves unbounded (ids, references).</summary>
    public const int MaxFreeTextLength = 100;

    /// <summary>Most entries accepted in any list of a message.</summary>
    public const int MaxListItems = 32;

    public static IReadOnlyList<FormatError> Validate(RedemptionRequest message)
    {
        var c = new Checks();
        Transaction(c, message);
        if (c.Required("voucher", message.Voucher))
        {
            c.Required("voucher.code", message.Voucher!.Code);
            Voucher(c, "voucher", message.Voucher);
        }

        Amounts(c, "amounts", message.Amounts);
        return c.Errors;
    }

    public static IReadOnlyList<FormatError> Validate(RedemptionResponse message)
    {
        var c = new Checks();
        Transaction(c, message);
        Voucher(c, "voucher", message.Voucher);
        Amounts(c, "amounts", message.Amounts);
        return c.Errors;
    }

    public static IReadOnlyList<FormatError> Validate(ProvisionRequest message)
    {
        var c = new Checks();
        Transaction(c, message);
        Voucher(c, "voucher", message.Voucher);
        Amounts(c, "amounts", message.Amounts);
        Tenders(c, message.Tenders);
        Product(c, "product", message.Product);
        return c.Errors;
    }

    public static IReadOnlyList<FormatError> Validate(BasicAdvice message)
    {
        var c = new Checks();
        Advice(c, message);
        return c.Errors;
    }

    public static IReadOnlyList<FormatError> Validate(BasicReversal message)
    {
        var c = new Checks();
        Advice(c, message);
        if (c.Required("reversalReason", message.ReversalReason))
        {
            c.OneOf("reversalReason", message.ReversalReason, SuvEnums.ReversalReason);
        }

        return c.Errors;
    }

    public static IReadOnlyList<FormatError> Validate(TenderAdvice message)
    {
        var c = new Checks();
        Advice(c, message);
        if (c.Required("tenders", message.Tenders))
        {
            Tenders(c, message.Tenders);
        }

        return c.Errors;
    }

    /// <summary>What a provider must give for the switch to pass its error on rather than call it garbage.</summary>
    public static IReadOnlyList<FormatError> Validate(ErrorDetail message)
    {
        var c = new Checks();
        c.Required("errorType", message.ErrorType);
        c.Required("errorMessage", message.ErrorMessage);
        return c.Errors;
    }

    public static IReadOnlyList<FormatError> Validate(VoucherLookupResponse message)
    {
        var c = new Checks();
        if (c.Required("voucher", message.Voucher))
        {
            Voucher(c, "voucher", message.Voucher);
        }

        Amounts(c, "amounts", message.Amounts);
        Product(c, "product", message.Product);
        return c.Errors;
    }

    public static void Uuid(Checks c, string field, string? value)
    {
        if (c.Required(field, value))
        {
            c.Matches(field, value, Patterns.Uuid());
        }
    }

    public static void Time(Checks c, string field, string? value)
    {
        if (!c.Required(field, value))
        {
            return;
        }

        if (!Patterns.DateTime().IsMatch(value!) ||
            !DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            c.Fail(field, "must be an RFC 3339 date-time", value);
        }
    }

    private static void Transaction(Checks c, SuvTransaction m)
    {
        Uuid(c, "id", m.Id);
        Time(c, "time", m.Time);
        if (c.Required("originator", m.Originator))
        {
            Originator(c, m.Originator!);
        }

        if (c.Required("client", m.Client))
        {
            Institution(c, "client", m.Client!);
        }

        OptionalInstitution(c, "settlementEntity", m.SettlementEntity);
        OptionalInstitution(c, "receiver", m.Receiver);
        if (c.Required("thirdPartyIdentifiers", m.ThirdPartyIdentifiers))
        {
            ThirdPartyIdentifiers(c, m.ThirdPartyIdentifiers!);
        }

        SlipData(c, m.SlipData);
        c.Length("basketRef", m.BasketRef, 0, MaxFreeTextLength);
        c.OneOf("tranType", m.TranType, SuvEnums.TranType);
        c.OneOf("srcAccType", m.SrcAccType, SuvEnums.AccountType);
        c.OneOf("destAccType", m.DestAccType, SuvEnums.AccountType);
        c.Length("stan", m.Stan, 0, MaxFreeTextLength);
        c.Length("rrn", m.Rrn, 0, MaxFreeTextLength);
        PosInfo(c, m.PosInfo);
    }

    private static void Advice(Checks c, BasicAdvice m)
    {
        Uuid(c, "id", m.Id);
        Uuid(c, "requestId", m.RequestId);
        Time(c, "time", m.Time);
        if (c.Required("thirdPartyIdentifiers", m.ThirdPartyIdentifiers))
        {
            ThirdPartyIdentifiers(c, m.ThirdPartyIdentifiers!);
        }

        c.Length("stan", m.Stan, 0, MaxFreeTextLength);
        c.Length("rrn", m.Rrn, 0, MaxFreeTextLength);
        Amounts(c, "amounts", m.Amounts);
    }
}

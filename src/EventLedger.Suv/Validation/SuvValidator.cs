using System.Globalization;
using EventLedger.Suv.Messages;

namespace EventLedger.Suv.Validation;

/// <summary>
/// The v1.14 contract's constraints for each message, plus the switch's own explicit limits on
/// fields the contract leaves unbounded (documented in docs/protocol.md).
/// </summary>
public static class SuvValidator
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

    private static void Originator(Checks c, Originator o)
    {
        if (c.Required("originator.institution", o.Institution))
        {
            Institution(c, "originator.institution", o.Institution!);
        }

        if (c.Required("originator.terminalId", o.TerminalId))
        {
            c.Length("originator.terminalId", o.TerminalId, 8, 8);
        }

        c.Length("originator.operatorId", o.OperatorId, 0, 30);
        if (c.Required("originator.merchant", o.Merchant))
        {
            Merchant(c, "originator.merchant", o.Merchant!);
        }
    }

    private static void Merchant(Checks c, string at, Merchant m)
    {
        if (c.Required($"{at}.merchantType", m.MerchantType))
        {
            c.Matches($"{at}.merchantType", m.MerchantType, Patterns.MerchantType());
        }

        if (c.Required($"{at}.merchantId", m.MerchantId))
        {
            c.Length($"{at}.merchantId", m.MerchantId, 15, 15);
        }

        if (c.Required($"{at}.merchantName", m.MerchantName))
        {
            var n = m.MerchantName!;
            var name = $"{at}.merchantName";
            if (c.Required($"{name}.name", n.Name))
            {
                c.Length($"{name}.name", n.Name, 0, 23);
            }

            if (c.Required($"{name}.city", n.City))
            {
                c.Length($"{name}.city", n.City, 0, 13);
            }

            if (c.Required($"{name}.region", n.Region))
            {
                c.Length($"{name}.region", n.Region, 0, 2);
            }

            if (c.Required($"{name}.country", n.Country))
            {
                c.Length($"{name}.country", n.Country, 0, 2);
            }
        }
    }

    private static void OptionalInstitution(Checks c, string at, Institution? institution)
    {
        if (institution is not null)
        {
            Institution(c, at, institution);
        }
    }

    private static void Institution(Checks c, string at, Institution institution)
    {
        if (c.Required($"{at}.id", institution.Id))
        {
            c.Length($"{at}.id", institution.Id, 1, MaxFreeTextLength);
        }

        if (c.Required($"{at}.name", institution.Name))
        {
            c.Length($"{at}.name", institution.Name, 0, 40);
        }
    }

    private static void ThirdPartyIdentifiers(Checks c, List<ThirdPartyIdentifier> identifiers)
    {
        c.AtMostItems("thirdPartyIdentifiers", identifiers, MaxListItems);
        for (var i = 0; i < identifiers.Count && i < MaxListItems; i++)
        {
            var at = $"thirdPartyIdentifiers[{i}]";
            if (!c.Required(at, identifiers[i]))
            {
                continue;
            }

            if (c.Required($"{at}.institutionId", identifiers[i].InstitutionId))
            {
                c.Length($"{at}.institutionId", identifiers[i].InstitutionId, 1, MaxFreeTextLength);
            }

            if (c.Required($"{at}.transactionIdentifier", identifiers[i].TransactionIdentifier))
            {
                c.Length($"{at}.transactionIdentifier", identifiers[i].TransactionIdentifier, 1, MaxFreeTextLength);
            }
        }
    }

    private static void Voucher(Checks c, string at, Voucher? v)
    {
        if (v is null)
        {
            return;
        }

        c.Length($"{at}.code", v.Code, 0, 40, secret: true);
        c.Length($"{at}.serialNumber", v.SerialNumber, 0, 40);
        if (v.ExpiryDate is not null)
        {
            Time(c, $"{at}.expiryDate", v.ExpiryDate);
        }

        c.AtMostItems($"{at}.redeemInstructions", v.RedeemInstructions, MaxListItems);
        Pin(c, $"{at}.pin", v.Pin);
    }

    private static void Pin(Checks c, string at, Pin? pin)
    {
        if (pin is null || !c.Required($"{at}.type", pin.Type))
        {
            return;
        }

        switch (pin.Type)
        {
            case "CLEAR_PIN":
                if (c.Required($"{at}.pin", pin.ClearPin))
                {
                    c.Matches($"{at}.pin", pin.ClearPin, Patterns.ClearPin(), secret: true);
                }

                break;
            case "ENCRYPTED_PIN":
                if (c.Required($"{at}.pinBlock", pin.PinBlock))
                {
                    c.Matches($"{at}.pinBlock", pin.PinBlock, Patterns.PinBlock(), secret: true);
                }

                if (pin.EncryptionParameters is { } parameters)
                {
                    c.OneOf($"{at}.encryptionParameters.pinBlockFormat", parameters.PinBlockFormat, SuvEnums.PinBlockFormat);
                    if (c.Required($"{at}.encryptionParameters.accountNumber", parameters.AccountNumber))
                    {
                        c.Matches($"{at}.encryptionParameters.accountNumber", parameters.AccountNumber, Patterns.PinAccountNumber(), secret: true);
                    }
                }

                break;
            case "HASHED_PIN":
                if (c.Required($"{at}.hash", pin.Hash))
                {
                    c.Matches($"{at}.hash", pin.Hash, Patterns.PinHash(), secret: true);
                }

                if (pin.HashedPinParameters is { } hashed && c.Required($"{at}.hashedPinParameters.name", hashed.Name))
                {
                    c.Length($"{at}.hashedPinParameters.name", hashed.Name, 0, 20);
                }

                break;
            default:
                c.OneOf($"{at}.type", pin.Type, SuvEnums.PinType);
                break;
        }
    }

    private static void Amounts(Checks c, string at, Amounts? amounts)
    {
        if (amounts is null)
        {
            return;
        }

        LedgerAmount(c, $"{at}.requestAmount", amounts.RequestAmount);
        LedgerAmount(c, $"{at}.approvedAmount", amounts.ApprovedAmount);
        LedgerAmount(c, $"{at}.feeAmount", amounts.FeeAmount);
        LedgerAmount(c, $"{at}.balanceAmount", amounts.BalanceAmount);
        if (amounts.AdditionalAmounts is { } additional)
        {
            c.AtMostItems($"{at}.additionalAmounts", additional, MaxListItems);
            foreach (var (key, value) in additional.Take(MaxListItems))
            {
                c.Length($"{at}.additionalAmounts key", key, 1, MaxFreeTextLength);
                LedgerAmount(c, $"{at}.additionalAmounts.{key}", value);
            }
        }
    }

    public static void LedgerAmount(Checks c, string at, LedgerAmount? amount)
    {
        if (amount is null)
        {
            return;
        }

        if (c.Required($"{at}.amount", amount.Amount))
        {
            c.AtLeast($"{at}.amount", amount.Amount, 0);
        }

        if (c.Required($"{at}.currency", amount.Currency))
        {
            c.Matches($"{at}.currency", amount.Currency, Patterns.Currency());
        }

        c.OneOf($"{at}.ledgerIndicator", amount.LedgerIndicator, SuvEnums.LedgerIndicator);
    }

    private static void Tenders(Checks c, List<Tender>? tenders)
    {
        if (tenders is null)
        {
            return;
        }

        c.AtMostItems("tenders", tenders, MaxListItems);
        for (var i = 0; i < tenders.Count && i < MaxListItems; i++)
        {
            var at = $"tenders[{i}]";
            var t = tenders[i];
            if (!c.Required(at, t))
            {
                continue;
            }

            c.OneOf($"{at}.accountType", t.AccountType, SuvEnums.TenderAccountType);
            if (c.Required($"{at}.amount", t.Amount))
            {
                LedgerAmount(c, $"{at}.amount", t.Amount);
            }

            c.Matches($"{at}.cardNumber", t.CardNumber, Patterns.MaskedCardNumber());
            c.Length($"{at}.reference", t.Reference, 0, 40);
            if (c.Required($"{at}.tenderType", t.TenderType))
            {
                c.OneOf($"{at}.tenderType", t.TenderType, SuvEnums.TenderType);
            }
        }
    }

    private static void Product(Checks c, string at, Product? product)
    {
        if (product is null)
        {
            return;
        }

        if (c.Required($"{at}.productId", product.ProductId))
        {
            c.Matches($"{at}.productId", product.ProductId, Patterns.ProductId());
        }

        c.Matches($"{at}.barcode", product.Barcode, Patterns.ProductBarcode());
        c.Length($"{at}.name", product.Name, 1, 40);
    }

    private static void SlipData(Checks c, SlipData? slip)
    {
        if (slip is null)
        {
            return;
        }

        c.Matches("slipData.issuerReference", slip.IssuerReference, Patterns.IssuerReference());
        if (slip.MessageLines is not { } lines)
        {
            return;
        }

        c.AtMostItems("slipData.messageLines", lines, 200);
        for (var i = 0; i < lines.Count && i < 200; i++)
        {
            var at = $"slipData.messageLines[{i}]";
            if (c.Required(at, lines[i]))
            {
                c.Required($"{at}.text", lines[i].Text);
                if (lines[i].Barcode is { } barcode)
                {
                    c.Required($"{at}.barcode.data", barcode.Data);
                    c.Required($"{at}.barcode.encoding", barcode.Encoding);
                }
            }
        }
    }

    private static void PosInfo(Checks c, PosInfo? pos)
    {
        if (pos is null)
        {
            return;
        }

        c.OneOf("posInfo.posConditionCode", pos.PosConditionCode, SuvEnums.PosConditionCode);
        if (pos.EntryMode is { } entry)
        {
            if (c.Required("posInfo.entryMode.panEntryMode", entry.PanEntryMode))
            {
                c.OneOf("posInfo.entryMode.panEntryMode", entry.PanEntryMode, SuvEnums.PanEntryMode);
            }

            if (c.Required("posInfo.entryMode.pinEntryCapability", entry.PinEntryCapability))
            {
                c.OneOf("posInfo.entryMode.pinEntryCapability", entry.PinEntryCapability, SuvEnums.PinEntryCapability);
            }
        }
    }
}

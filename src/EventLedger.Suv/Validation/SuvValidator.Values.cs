using System.Globalization;
using EventLedger.Suv.Messages;

namespace EventLedger.Suv.Validation;

/// <summary>The values of a message: voucher, PIN, amounts, tenders, product, slip and point of sale.</summary>
public static partial class SuvValidator
{
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

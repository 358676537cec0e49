using System.Text.RegularExpressions;

namespace EventLedger.Suv.Validation;

/// <summary>The contract's patterns, anchored: the reference implementation matches the whole value.</summary>
public static partial class Patterns
{
    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    public static partial Regex Uuid();

    // RFC 3339 section 5.6 date-time; the calendar itself is checked separately.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    public static partial Regex DateTime();

    [GeneratedRegex("^[0-9]{3}$")]
    public static partial Regex Currency();

    [GeneratedRegex("^[0-9]{4}$")]
    public static partial Regex MerchantType();

    [GeneratedRegex("^[A-Z0-9]{1,40}$")]
    public static partial Regex IssuerReference();

    [GeneratedRegex("^[0-9A-Za-z]{1,20}$")]
    public static partial Regex ProductId();

    [GeneratedRegex("^[0-9A-Za-z]{1,13}$")]
    public static partial Regex ProductBarcode();

    [GeneratedRegex("^[0-9]{6}[0-9*]{0,13}$")]
    public static partial Regex MaskedCardNumber();

    [GeneratedRegex("^.{0,20}$")]
    public static partial Regex ClearPin();

    [GeneratedRegex("^[a-fA-F0-9]{16}$")]
    public static partial Regex PinBlock();

    [GeneratedRegex("^[0-9,A-F]{1,512}$")]
    public static partial Regex PinHash();

    [GeneratedRegex("^[0-9]{12}$")]
    public static partial Regex PinAccountNumber();
}

using System.Text.RegularExpressions;

namespace EventLedger.Suv.Validation;

/// <summary>
/// The contract's patterns, anchored: the reference implementation matches the whole value. Anchored
/// with <c>\z</c>, not <c>$</c>, which also matches before a final newline ("710\n" would pass), and
/// with <c>[0-9]</c>, not <c>\d</c>, which matches every Unicode digit.
/// </summary>
public static partial class Patterns
{
    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z")]
    public static partial Regex Uuid();

    // RFC 3339 section 5.6 date-time; the calendar itself is checked separately.
    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})\z")]
    public static partial Regex DateTime();

    [GeneratedRegex(@"^[0-9]{3}\z")]
    public static partial Regex Currency();

    [GeneratedRegex(@"^[0-9]{4}\z")]
    public static partial Regex MerchantType();

    [GeneratedRegex(@"^[A-Z0-9]{1,40}\z")]
    public static partial Regex IssuerReference();

    [GeneratedRegex(@"^[0-9A-Za-z]{1,20}\z")]
    public static partial Regex ProductId();

    [GeneratedRegex(@"^[0-9A-Za-z]{1,13}\z")]
    public static partial Regex ProductBarcode();

    [GeneratedRegex(@"^[0-9]{6}[0-9*]{0,13}\z")]
    public static partial Regex MaskedCardNumber();

    [GeneratedRegex(@"^.{0,20}\z")]
    public static partial Regex ClearPin();

    [GeneratedRegex(@"^[a-fA-F0-9]{16}\z")]
    public static partial Regex PinBlock();

    [GeneratedRegex(@"^[0-9,A-F]{1,512}\z")]
    public static partial Regex PinHash();

    [GeneratedRegex(@"^[0-9]{12}\z")]
    public static partial Regex PinAccountNumber();
}

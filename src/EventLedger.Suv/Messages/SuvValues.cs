using System.Collections.Frozen;

namespace EventLedger.Suv.Messages;

/// <summary>The contract's error types. Providers on later contract versions send more; those pass through.</summary>
public static class ErrorTypes
{
    public const string DuplicateRecord = "DUPLICATE_RECORD";
    public const string FormatError = "FORMAT_ERROR";
    public const string FunctionNotSupported = "FUNCTION_NOT_SUPPORTED";
    public const string GeneralError = "GENERAL_ERROR";
    public const string RoutingError = "ROUTING_ERROR";
    public const string UnableToLocateRecord = "UNABLE_TO_LOCATE_RECORD";
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";
    public const string VoucherAlreadyRedeemed = "VOUCHER_ALREADY_REDEEMED";
    public const string VoucherAlreadyConfirmed = "VOUCHER_ALREADY_CONFIRMED";
    public const string VoucherAlreadyReversed = "VOUCHER_ALREADY_REVERSED";
    public const string VoucherNotRedeemable = "VOUCHER_NOT_REDEEMABLE";
    public const string VoucherNotRedeemed = "VOUCHER_NOT_REDEEMED";
    public const string RedemptionAlreadyConfirmed = "REDEMPTION_ALREADY_CONFIRMED";
    public const string RedemptionAlreadyReversed = "REDEMPTION_ALREADY_REVERSED";
    public const string AuthenticationError = "AUTHENTICATION_ERROR";
}

/// <summary>The closed value sets the contract defines for string fields.</summary>
public static class SuvEnums
{
    public static readonly FrozenSet<string> TranType = Set(
        "GOODS_AND_SERVICES", "CASH_WITHDRAWAL", "DEBIT_ADJUSTMENT", "GOODS_AND_SERVICES_WITH_CASH_BACK",
        "NON_CASH", "RETURNS", "DEPOSIT", "CREDIT_ADJUSTMENT", "GENERAL_CREDIT", "AVAILABLE_FUNDS_INQUIRY",
        "BALANCE_INQUIRY", "GENERAL_INQUIRY", "CARD_VERIFICATION_INQUIRY", "CARDHOLDER_ACCOUNTS_TRANSFER",
        "GENERAL_TRANSFER", "PAYMENT_FROM_ACCOUNT", "GENERAL_PAYMENT", "PAYMENT_TO_ACCOUNT",
        "PAYMENT_FROM_ACCOUNT_TO_ACCOUNT", "PLACE_HOLD_ON_CARD", "GENERAL_ADMIN", "CHANGE_PIN",
        "CARD_HOLDER_INQUIRY", "POINTS_INQUIRY");

    public static readonly FrozenSet<string> AccountType = Set(
        "DEFAULT", "SAVINGS", "CHEQUE", "CREDIT", "UNIVERSAL", "ELECTRONIC_PURSE", "GIFT_CARD", "STORED_VALUE");

    public static readonly FrozenSet<string> TenderAccountType = Set(
        "DEFAULT", "SAVINGS", "CHEQUE", "CREDIT", "UNIVERSAL", "ELECTRONIC_PURSE", "STORED_VALUE");

    public static readonly FrozenSet<string> TenderType = Set(
        "CASH", "CHEQUE", "CREDIT_CARD", "DEBIT_CARD", "WALLET", "ROUNDING", "GIFT_CARD", "LOYALTY_CARD", "OTHER");

    public static readonly FrozenSet<string> LedgerIndicator = Set("DEBIT", "CREDIT");

    public static readonly FrozenSet<string> ReversalReason = Set("TIMEOUT", "CANCELLED", "RESPONSE_NOT_FINAL");

    public static readonly FrozenSet<string> PinType = Set("CLEAR_PIN", "ENCRYPTED_PIN", "HASHED_PIN");

    public static readonly FrozenSet<string> PinBlockFormat = Set("ISO_9564_FORMAT_0", "ISO_9564_FORMAT_1", "ISO_9564_FORMAT_3");

    public static readonly FrozenSet<string> PanEntryMode = Set(
        "UNKNOWN", "MANUAL", "MAGSTRIPE_NO_CVV", "BARCODE", "OCR", "ICC_CVV", "CONTACTLESS_ICC", "MAGSTRIPE_CVV",
        "CONTACTLESS_MAGSTRIPE", "ICC_NO_CVV", "ORIG_MODE", "FALLBACK");

    public static readonly FrozenSet<string> PinEntryCapability = Set("UNKNOWN", "CAN_ACCEPT", "CANNOT_ACCEPT");

    public static readonly FrozenSet<string> PosConditionCode = Set(
        "NORMAL_PRESENTMENT", "CUSTOMER_NOT_PRESENT", "CUSTOMER_PRESENT_AND_CARD_NOT_PRESENT",
        "CUSTOMER_IDENTITY_VERIFIED", "PUBLIC_UTILITY_TERMINAL", "CUSTOMER_TERMINAL", "MANUAL_REVERSAL",
        "UNATTENDED_TERMINAL_AND_CARD_CAN_BE_RETAINED", "UNATTENDED_TERMINAL_AND_CARD_CANNOT_BE_RETAINED");

    private static FrozenSet<string> Set(params string[] values) => values.ToFrozenSet(StringComparer.Ordinal);
}

using System.Text.Json.Nodes;

namespace EventLedger.Suv.Messages;

public sealed record ErrorDetail
{
    /// <summary>The contract caps <c>errorMessage</c> at 80 characters.</summary>
    public const int MaxErrorMessageLength = 80;

    public string? Id { get; init; }
    public string? OriginalId { get; init; }
    public string? ErrorType { get; init; }
    public string? ErrorMessage { get; init; }
    public string? ProviderErrorCode { get; init; }
    public string? ProviderErrorMessage { get; init; }
    public JsonObject? DetailMessage { get; init; }

    public static ErrorDetail Of(string errorType, string message, string? id, string? originalId = null) => new()
    {
        Id = id,
        OriginalId = originalId,
        ErrorType = errorType,
        ErrorMessage = Truncate(message),
    };

    public static string Truncate(string message) =>
        message.Length <= MaxErrorMessageLength ? message : message[..MaxErrorMessageLength];
}

/// <summary>One violated constraint, reported in <c>detailMessage.formatErrors</c>.</summary>
public sealed record FormatError(string Field, string Msg, string? Value);

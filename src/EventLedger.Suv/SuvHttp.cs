using EventLedger.Suv.Messages;
using Microsoft.AspNetCore.Http;

namespace EventLedger.Suv;

/// <summary>Reading SUV messages from, and writing them to, HTTP, the same way on every server.</summary>
public static class SuvHttp
{
    /// <summary>Largest request body accepted; the biggest real SUV message is a few KiB.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The SUV interface's base path, on both hops.</summary>
    public const string BasePath = "/suv/v1";

    public static async Task<ReadResult<T>> ReadAsync<T>(
        HttpRequest request, Func<T, IReadOnlyList<FormatError>> validate, CancellationToken ct)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return new(null, SuvReader.FormatErrorDetail(null,
                [new FormatError("Content-Type", "must be application/json in UTF-8 (or absent)", null)]), 415);
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge<T>();
        }

        var body = await ReadBoundedAsync(request.Body, MaxBodyBytes, ct);
        return body is null ? TooLarge<T>() : SuvReader.Read(body.Value.Span, validate);
    }

    /// <summary>The body, read no further than one byte past the limit (whatever length was declared); null when larger.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadBoundedAsync(Stream body, int maxBytes, CancellationToken ct)
    {
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        return length > maxBytes ? null : buffer.AsMemory(0, length);
    }

    /// <summary>Reads and validates the message, then handles it; bad input is answered before the handler runs.</summary>
    public static async Task<IResult> HandleAsync<T>(
        HttpRequest request, Func<T, IReadOnlyList<FormatError>> validate, Func<T, Task<IResult>> handle)
        where T : class
    {
        var read = await ReadAsync(request, validate, request.HttpContext.RequestAborted);
        return read.IsValid ? await handle(read.Message!) : Error(read);
    }

    public static IResult Json<T>(int status, T body) => Results.Json(body, SuvJson.Options, "application/json", status);

    public static IResult Error(int status, ErrorDetail error) => Json(status, error);

    public static IResult Error<T>(ReadResult<T> failed) where T : class => Error(failed.Status, failed.Error!);

    /// <summary>
    /// A body is read as JSON when it says it is (any <c>+json</c> type too) or says nothing; a body
    /// declared as something else, or in another charset, is refused rather than guessed at.
    /// </summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return true;
        }

        return System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
            && (string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
                || type.MediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true)
            && (type.CharSet is null || type.CharSet.Trim('"').ToUpperInvariant() is "UTF-8" or "UTF8");
    }

    private static ReadResult<T> TooLarge<T>() where T : class =>
        new(null, SuvReader.FormatErrorDetail(null, [new FormatError("body", $"body exceeds {MaxBodyBytes} bytes", null)]), 413);
}

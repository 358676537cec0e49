using System.Text.Json;
using EventLedger.Suv.Messages;

namespace EventLedger.Suv;

/// <summary>The outcome of reading a message: the message, or the ErrorDetail to answer with.</summary>
public readonly record struct ReadResult<T>(T? Message, ErrorDetail? Error, int Status = 400) where T : class
{
    public bool IsValid => Error is null;
}

/// <summary>
/// Reads and validates an inbound SUV message in one step, so that every endpoint answers bad input
/// the same way: 400 FORMAT_ERROR listing every violation, with the message id when it can be read.
/// </summary>
public static class SuvReader
{
    public static ReadResult<T> Read<T>(ReadOnlySpan<byte> utf8Json, Func<T, IReadOnlyList<FormatError>> validate)
        where T : class
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json))
        {
            return Fail<T>(null, new FormatError("body", "body is not valid UTF-8", null));
        }

        var (document, unreadable) = Parse(utf8Json);
        if (document is null)
        {
            return Fail<T>(null, unreadable!);
        }

        using (document)
        {
            return Read(document.RootElement, validate);
        }
    }

    private static (JsonDocument? Document, FormatError? Error) Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return (JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { MaxDepth = SuvJson.MaxDepth, AllowDuplicateProperties = false }), null);
        }
        catch (InvalidOperationException)
        {
            // A property name that is not valid Unicode (a lone surrogate), met while checking for duplicates.
            return (null, new FormatError("body", "body holds a string that is not valid Unicode", null));
        }
        catch (JsonException ex)
        {
            // Duplicate keys are refused too: two parsers reading one body differently is how smuggling starts.
            return (null, new FormatError("body",
                ex.Message.Contains("uplicate", StringComparison.Ordinal) ? "body names a field twice" : "body is not valid JSON", null));
        }
    }

    private static ReadResult<T> Read<T>(JsonElement root, Func<T, IReadOnlyList<FormatError>> validate)
        where T : class
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail<T>(null, new FormatError("body", "body must be a JSON object", null));
        }

        var id = ReadId(root);
        T? message;
        try
        {
            message = root.Deserialize<T>(SuvJson.Options);
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path);
            return Fail<T>(id, new FormatError(field, $"{field} has the wrong type", null));
        }
        catch (InvalidOperationException)
        {
            // A string escape that is not valid UTF-16 (a lone surrogate): no text can hold it.
            return Fail<T>(id, new FormatError("body", "body holds a string that is not valid Unicode", null));
        }

        if (message is null)
        {
            return Fail<T>(id, new FormatError("body", "body may not be null", null));
        }

        string? controlled;
        try
        {
            controlled = ControlCharacterAt(root, "");
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate in a field the message does not have (skipped when reading it).
            return Fail<T>(id, new FormatError("body", "body holds a string that is not valid Unicode", null));
        }

        if (controlled is not null)
        {
            return Fail<T>(id, new FormatError(controlled, $"{controlled} holds a control character", null));
        }

        var errors = validate(message);
        return errors.Count == 0 ? new ReadResult<T>(message, null) : Fail<T>(id, errors.ToArray());
    }

    public static ErrorDetail FormatErrorDetail(string? id, IReadOnlyList<FormatError> errors, string? originalId = null)
    {
        var list = new System.Text.Json.Nodes.JsonArray();
        foreach (var error in errors)
        {
            list.Add(new System.Text.Json.Nodes.JsonObject
            {
                ["field"] = error.Field,
                ["msg"] = error.Msg,
                ["value"] = error.Value,
            });
        }

        return ErrorDetail.Of(ErrorTypes.FormatError, "Bad formatting", id, originalId) with
        {
            DetailMessage = new System.Text.Json.Nodes.JsonObject { ["formatErrors"] = list },
        };
    }

    private static ReadResult<T> Fail<T>(string? id, params FormatError[] errors) where T : class =>
        new(null, FormatErrorDetail(id, errors));

    /// <summary>
    /// Where a string holds a control character other than tab, line feed and carriage return, or
    /// null. No SUV value needs one; U+0000 cannot even be stored (PostgreSQL's jsonb refuses it, a
    /// 500 before this check), and the rest only hide text from the people who read it.
    /// </summary>
    public static string? ControlCharacterAt(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return HasControlCharacter(element.GetString()) ? (path.Length == 0 ? "body" : path) : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (ControlCharacterAt(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (ControlCharacterAt(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    public static bool HasControlCharacter(string? text) => text is not null && text.Any(c => c < ' ' && c is not ('\t' or '\n' or '\r'));

    private static string? ReadId(JsonElement root)
    {
        try
        {
            return root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (InvalidOperationException)
        {
            return null; // not valid Unicode: no id to echo
        }
    }

    private static string FieldName(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$")
        {
            return "body";
        }

        return jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');
    }
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventLedger.Tests.Docs;

/// <summary>
/// An answer as a document shows it, checked against the answer a command printed. What varies from
/// run to run is written "…" and matches anything. A JSON answer matches when every member shown is
/// there with the value shown (objects may hold more; an array's items shown must appear in it, in
/// order); a text answer when its lines appear in the printed lines, in order. A last line
/// "HTTP nnn" is the status, which must be the same.
/// </summary>
public sealed partial class ShownAnswer
{
    public const string Any = "…";

    private readonly string _body;
    private readonly bool _json;

    public ShownAnswer(string text, bool json)
    {
        (_body, Status) = SplitStatus(text);
        _json = json;
    }

    public string? Status { get; }

    /// <summary>Why the printed answer differs from the shown one, or null when it does not.</summary>
    public string? Mismatch(string printed)
    {
        var (body, status) = SplitStatus(printed);
        if (Status is not null && Status != status)
        {
            return $"status {status ?? "(none)"} where the document shows {Status}";
        }

        if (!_json)
        {
            return LinesMismatch(body);
        }

        JsonNode? actual;
        try
        {
            actual = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return $"the answer is not JSON ({ex.Message})";
        }

        return NodeMismatch(JsonNode.Parse(_body), actual, "$");
    }

    private static (string Body, string? Status) SplitStatus(string text)
    {
        var lines = text.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && StatusLine().Match(lines[^1]) is { Success: true } status)
        {
            return (string.Join('\n', lines.Take(lines.Count - 1)).Trim(), status.Groups[1].Value);
        }

        return (string.Join('\n', lines).Trim(), null);
    }

    private string? LinesMismatch(string printed)
    {
        var actual = printed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        var at = 0;
        foreach (var shown in _body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var pattern = Pattern(shown.TrimEnd('\r'));
            while (at < actual.Count && !pattern.IsMatch(actual[at]))
            {
                at++;
            }

            if (at == actual.Count)
            {
                return $"no line like \"{shown}\" (in order) in:\n{printed}";
            }

            at++;
        }

        return null;
    }

    private static string? NodeMismatch(JsonNode? shown, JsonNode? actual, string path)
    {
        switch (shown)
        {
            case null:
                return actual is null ? null : $"{path}: null where {actual.ToJsonString()} was answered";
            case JsonObject members:
                if (actual is not JsonObject answered)
                {
                    return $"{path}: an object was shown, {actual?.ToJsonString() ?? "null"} answered";
                }

                foreach (var (name, member) in members)
                {
                    if (!answered.ContainsKey(name))
                    {
                        return $"{path}.{name} is missing";
                    }

                    if (NodeMismatch(member, answered[name], $"{path}.{name}") is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonArray items:
                if (actual is not JsonArray answeredItems)
                {
                    return $"{path}: an array was shown, {actual?.ToJsonString() ?? "null"} answered";
                }

                var at = 0;
                for (var i = 0; i < items.Count; i++)
                {
                    while (at < answeredItems.Count && NodeMismatch(items[i], answeredItems[at], $"{path}[{at}]") is not null)
                    {
                        at++;
                    }

                    if (at == answeredItems.Count)
                    {
                        return $"{path}: no item like {items[i]?.ToJsonString()} (in order) in {actual.ToJsonString()}";
                    }

                    at++;
                }

                return null;
            default:
                var value = (JsonValue)shown;
                if (value.TryGetValue<string>(out var text))
                {
                    return actual is JsonValue answeredValue && answeredValue.TryGetValue<string>(out var answeredText) && Pattern(text).IsMatch(answeredText)
                        ? null
                        : text == Any && actual is not null ? null : $"{path}: \"{text}\" shown, {actual?.ToJsonString() ?? "null"} answered";
                }

                return actual is not null && JsonNode.DeepEquals(shown, actual) ? null : $"{path}: {shown.ToJsonString()} shown, {actual?.ToJsonString() ?? "null"} answered";
        }
    }

    /// <summary>The shown text with each "…" standing for any run of characters.</summary>
    private static Regex Pattern(string shown) =>
        new("^" + string.Join(".*", shown.Split(Any).Select(Regex.Escape)) + "$", RegexOptions.Singleline);

    [GeneratedRegex(@"^HTTP (\d{3})$")]
    private static partial Regex StatusLine();
}

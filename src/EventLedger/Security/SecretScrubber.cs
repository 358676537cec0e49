using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventLedger.Security;

/// <summary>
/// What the switch knows of one voucher's secrets while it handles a message: the code and PIN in
/// the clear (a redemption request or a lookup carries them), or only a test for them (their keyed
/// hashes, all the ledger keeps) when it handles an advice or a provider's answer to one.
/// </summary>
public sealed record Secrets(IReadOnlyList<string> Clear, Func<string, bool>? IsSecret = null)
{
    public static readonly Secrets None = new([]);
}

/// <summary>
/// Takes the voucher's code and PIN out of text that came from outside (a provider's answer, an
/// originator's free text) before it is stored, logged or passed on. Providers echo more than they
/// should (slip lines, error messages, format-error values); an event keeps what it is given for
/// ever, so what the switch knows to be a secret never gets there. A secret is replaced wherever it
/// occurs in free text (ignoring case); in identifier fields, which advices must carry unaltered,
/// and for secrets too short to search for, only a value that is the secret is replaced.
/// </summary>
public static partial class SecretScrubber
{
    /// <summary>Shorter secrets are only replaced as whole values: searching for them would mask dates, amounts and words.</summary>
    public const int MinSearchLength = 4;

    public const string PinMask = "****";

    /// <summary>The contract's longest voucher code.</summary>
    public const int MaxCodeLength = 40;

    /// <summary>Fields whose values are identifiers or times: replaced only when a whole value is a secret.</summary>
    private static readonly HashSet<string> IdentifierFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "requestId", "time", "institutionId", "transactionIdentifier", "currency", "expiryDate",
    };

    /// <summary>Scrubs every string value of a JSON document; the document is returned unchanged (byte for byte) when it held no secret.</summary>
    public static string Json(string json, Secrets secrets)
    {
        if (secrets.Clear.Count == 0 && secrets.IsSecret is null)
        {
            return json;
        }

        var root = JsonNode.Parse(json);
        return root is not null && ScrubNode(root, null, secrets) ? root.ToJsonString(Suv.SuvJson.Options) : json;
    }

    /// <summary>Scrubs free text (an error message, a reason).</summary>
    public static string? Text(string? text, Secrets secrets) => text is null ? null : Value(text, secrets, freeText: true);

    /// <summary>Scrubs an identifier: replaced only when it is a secret.</summary>
    public static string? Identifier(string? value, Secrets secrets) => value is null ? null : Value(value, secrets, freeText: false);

    private static bool ScrubNode(JsonNode node, string? name, Secrets secrets)
    {
        switch (node)
        {
            case JsonObject obj:
                var changed = false;
                foreach (var (key, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        var scrubbed = Value(text, secrets, freeText: !IdentifierFields.Contains(key));
                        if (!ReferenceEquals(scrubbed, text))
                        {
                            obj[key] = scrubbed;
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= ScrubNode(child, key, secrets);
                    }
                }

                return changed;
            case JsonArray array:
                var any = false;
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        var scrubbed = Value(text, secrets, freeText: name is null || !IdentifierFields.Contains(name));
                        if (!ReferenceEquals(scrubbed, text))
                        {
                            array[i] = scrubbed;
                            any = true;
                        }
                    }
                    else if (array[i] is { } child)
                    {
                        any |= ScrubNode(child, name, secrets);
                    }
                }

                return any;
            default:
                return false;
        }
    }

    /// <summary>The value with every secret replaced; the very same instance when there was none.</summary>
    private static string Value(string text, Secrets secrets, bool freeText)
    {
        var result = text;
        foreach (var secret in secrets.Clear.Where(s => s.Length > 0))
        {
            if (string.Equals(result, secret, StringComparison.OrdinalIgnoreCase))
            {
                return MaskFor(secret);
            }

            if (freeText && secret.Length >= MinSearchLength && result.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                result = result.Replace(secret, MaskFor(secret), StringComparison.OrdinalIgnoreCase);
            }
        }

        if (secrets.IsSecret is { } isSecret)
        {
            if (isSecret(result))
            {
                return MaskFor(result);
            }

            if (freeText)
            {
                // A secret is recognised by its hash only as a whole word: a run of letters and
                // digits, or of anything but spaces and quotes (codes may hold dashes or dots).
                var tokens = AlphanumericRuns().Matches(result).Concat(Words().Matches(result)).Select(m => m.Value);
                foreach (var token in tokens.Distinct().Where(t => t.Length <= MaxCodeLength && isSecret(t)))
                {
                    result = result.Replace(token, MaskFor(token), StringComparison.Ordinal);
                }
            }
        }

        return result == text ? text : result;
    }

    private static string MaskFor(string secret) => secret.Length >= VoucherCodes.MinLengthToRevealTail ? VoucherCodes.Mask(secret) : PinMask;

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex AlphanumericRuns();

    [GeneratedRegex(@"[^\s""'`]+")]
    private static partial Regex Words();
}

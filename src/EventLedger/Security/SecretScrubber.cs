using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace EventLedger.Security;

/// <summary>
/// What the switch knows of one voucher's secrets while it handles a message: the code and PIN in
/// the clear (a redemption request carries them), or only tests for them (their keyed hashes, all
/// the ledger keeps) when it handles an advice or a provider's answer to one.
/// </summary>
public sealed record Secrets(
    IReadOnlyList<string> Codes, IReadOnlyList<string> Pins, Func<string, bool>? IsCode = null, Func<string, bool>? IsPin = null)
{
    public static readonly Secrets None = new([], []);

    public bool Any => Codes.Count > 0 || Pins.Count > 0 || IsCode is not null || IsPin is not null;
}

/// <summary>
/// Takes the voucher's code and PIN out of text that came from outside (a provider's answer, an
/// originator's message) before it is stored, logged or passed on. Providers echo more than they
/// should; an event keeps what it is given for ever, so what the switch knows to be a secret never
/// gets there.
/// <para>
/// Only free text is searched (messages, slip lines, instructions, anything under
/// <c>detailMessage</c>), where a secret is replaced wherever it occurs, ignoring case. Every other
/// value is replaced only when the whole value is a secret: those are identifiers and structured
/// data the switch also keeps elsewhere (a terminal id, say), where masking a part would show the
/// secret by the difference, and which advices must carry unaltered.
/// </para>
/// </summary>
public static partial class SecretScrubber
{
    /// <summary>Shorter secrets are only replaced as whole values: searching for them would mask dates, amounts and words.</summary>
    public const int MinSearchLength = 4;

    public const string PinMask = "****";

    /// <summary>The contract's longest voucher code.</summary>
    public const int MaxCodeLength = 40;

    /// <summary>The fields that hold free text in SUV messages; everything below <c>detailMessage</c> counts too.</summary>
    private static readonly HashSet<string> FreeTextFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "errorMessage", "providerErrorMessage", "text", "redeemInstructions", "msg", "value", "description", "detailMessage",
    };

    /// <summary>Scrubs every string value of a JSON document; the document is returned unchanged (byte for byte) when it held no secret.</summary>
    public static string Json(string json, Secrets secrets)
    {
        if (!secrets.Any)
        {
            return json;
        }

        var root = JsonNode.Parse(json);
        return root is not null && ScrubNode(root, freeText: false, secrets) ? root.ToJsonString(Suv.SuvJson.Options) : json;
    }

    /// <summary>Scrubs free text (an error message, a reason).</summary>
    public static string? Text(string? text, Secrets secrets) => text is null ? null : Value(text, secrets, freeText: true);

    /// <summary>Scrubs an identifier: replaced only when it is a secret.</summary>
    public static string? Identifier(string? value, Secrets secrets) => value is null ? null : Value(value, secrets, freeText: false);

    private static bool ScrubNode(JsonNode node, bool freeText, Secrets secrets)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    var free = freeText || FreeTextFields.Contains(key);
                    if (child is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        var scrubbed = Value(text, secrets, free);
                        if (!ReferenceEquals(scrubbed, text))
                        {
                            obj[key] = scrubbed;
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= ScrubNode(child, free, secrets);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        var scrubbed = Value(text, secrets, freeText);
                        if (!ReferenceEquals(scrubbed, text))
                        {
                            array[i] = scrubbed;
                            changed = true;
                        }
                    }
                    else if (array[i] is { } child)
                    {
                        changed |= ScrubNode(child, freeText, secrets);
                    }
                }

                break;
        }

        return changed;
    }

    /// <summary>The value with every secret replaced; the very same instance when there was none.</summary>
    private static string Value(string text, Secrets secrets, bool freeText)
    {
        var result = text;
        foreach (var (secret, mask) in secrets.Codes.Select(c => (c, VoucherCodes.Mask(c))).Concat(secrets.Pins.Select(p => (p, PinMask))))
        {
            if (secret.Length == 0)
            {
                continue;
            }

            if (string.Equals(result, secret, StringComparison.OrdinalIgnoreCase))
            {
                return mask;
            }

            if (freeText && secret.Length >= MinSearchLength)
            {
                result = result.Replace(secret, mask, StringComparison.OrdinalIgnoreCase);
            }
        }

        if (secrets.IsCode is not null || secrets.IsPin is not null)
        {
            if (Recognised(result, secrets) is { } whole)
            {
                return whole;
            }

            if (freeText)
            {
                foreach (var token in Candidates(result))
                {
                    if (Recognised(token, secrets) is { } mask)
                    {
                        result = result.Replace(token, mask, StringComparison.Ordinal);
                    }
                }
            }
        }

        return result == text ? text : result;
    }

    /// <summary>The mask for a value that hashes as the code or PIN, in the case given or in either case.</summary>
    private static string? Recognised(string candidate, Secrets secrets)
    {
        if (candidate.Length == 0 || candidate.Length > MaxCodeLength)
        {
            return null;
        }

        string[] spellings = [candidate, candidate.ToUpperInvariant(), candidate.ToLowerInvariant()];
        return spellings.Any(s => secrets.IsCode?.Invoke(s) == true) ? VoucherCodes.Mask(candidate)
            : spellings.Any(s => secrets.IsPin?.Invoke(s) == true) ? PinMask
            : null;
    }

    /// <summary>
    /// The words a secret known only by its hash could be: runs of letters and digits, and runs of
    /// anything but spaces and quotes (codes may hold dashes or dots) with punctuation around them trimmed.
    /// </summary>
    private static IEnumerable<string> Candidates(string text) =>
        AlphanumericRuns().Matches(text).Select(m => m.Value)
            .Concat(Words().Matches(text).SelectMany(m => new[] { m.Value, m.Value.Trim(TrimmedPunctuation) }))
            .Where(t => t.Length is > 0 and <= MaxCodeLength)
            .Distinct(StringComparer.Ordinal);

    private static readonly char[] TrimmedPunctuation = ['(', ')', '[', ']', '{', '}', '<', '>', ',', ';', ':', '.', '!', '?'];

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex AlphanumericRuns();

    [GeneratedRegex(@"[^\s""'`]+")]
    private static partial Regex Words();
}

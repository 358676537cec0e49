using System.Collections.Frozen;
using System.Text.RegularExpressions;
using EventLedger.Suv.Messages;

namespace EventLedger.Suv.Validation;

/// <summary>
/// Collects constraint violations with messages in the style of the reference implementation's
/// bean validation (<c>originator.terminalId may not be null</c>), so clients see familiar text.
/// Values of secret fields are never echoed back.
/// </summary>
public sealed class Checks
{
    private readonly List<FormatError> _errors = [];

    public IReadOnlyList<FormatError> Errors => _errors;

    public bool Required(string field, object? value)
    {
        if (value is null)
        {
            Add(field, "may not be null", null);
            return false;
        }

        return true;
    }

    public void Length(string field, string? value, int min, int max, bool secret = false)
    {
        if (value is not null && (value.Length < min || value.Length > max))
        {
            Add(field, $"size must be between {min} and {max}", secret ? null : value);
        }
    }

    public void Matches(string field, string? value, Regex pattern, bool secret = false)
    {
        if (value is not null && !pattern.IsMatch(value))
        {
            Add(field, $"must match \"{Unanchored(pattern)}\"", secret ? null : value);
        }
    }

    public void OneOf(string field, string? value, FrozenSet<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            Add(field, "must be one of " + string.Join(", ", allowed.Order(StringComparer.Ordinal)), value);
        }
    }

    public void AtLeast(string field, long? value, long min)
    {
        if (value is not null && value < min)
        {
            Add(field, $"must be greater than or equal to {min}", value.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public void AtMostItems<T>(string field, ICollection<T>? items, int max)
    {
        if (items is not null && items.Count > max)
        {
            Add(field, $"may hold at most {max} items", null);
        }
    }

    public void Fail(string field, string msg, string? value) => Add(field, msg, value);

    private void Add(string field, string msg, string? value) => _errors.Add(new FormatError(field, $"{field} {msg}", value));

    private static string Unanchored(Regex pattern)
    {
        var text = pattern.ToString();
        return text.StartsWith('^') && text.EndsWith('$') ? text[1..^1] : text;
    }
}

using System.Collections;

namespace EventLedger.Redemptions;

/// <summary>
/// The identifiers every log line about one redemption carries, as a logging scope: opened on any
/// logger it covers every line written within it (the provider call's included). The JSON console
/// format writes them as fields an operator can filter on, the plain one as its text.
/// </summary>
public sealed class RedemptionLog : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly List<KeyValuePair<string, object?>> _fields;

    private RedemptionLog(string clientId, string redemptionRequestId, string? providerId, string? adviceId)
    {
        // ASP.NET Core's own scope already names the HTTP request "RequestId".
        _fields = [new("ClientId", clientId), new("RedemptionRequestId", redemptionRequestId)];
        if (providerId is not null)
        {
            _fields.Add(new("ProviderId", providerId));
        }

        if (adviceId is not null)
        {
            _fields.Add(new("AdviceId", adviceId));
        }
    }

    public static IDisposable? Scope(ILogger log, string clientId, string redemptionRequestId, string? providerId = null, string? adviceId = null) =>
        log.BeginScope(new RedemptionLog(clientId, redemptionRequestId, providerId, adviceId));

    /// <summary>The scope for an SUV endpoint, from the request's own logger factory.</summary>
    public static IDisposable? Scope(HttpContext context, Type endpoint, string clientId, string redemptionRequestId, string? adviceId = null) =>
        Scope(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(endpoint), clientId, redemptionRequestId, adviceId: adviceId);

    public int Count => _fields.Count;

    public KeyValuePair<string, object?> this[int index] => _fields[index];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(' ', _fields.Select(f => $"{f.Key}:{f.Value}"));
}

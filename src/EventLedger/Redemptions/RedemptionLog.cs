namespace EventLedger.Redemptions;

/// <summary>
/// The identifiers every log line about one redemption carries, as a logging scope: opened on any
/// logger it covers every line written within it (the provider call's included), and the JSON
/// console format writes them as fields an operator can filter on.
/// </summary>
public static class RedemptionLog
{
    public static IDisposable? Scope(ILogger log, string clientId, string redemptionRequestId, string? providerId = null, string? adviceId = null)
    {
        var scope = new Dictionary<string, object?>
        {
            ["ClientId"] = clientId,
            // ASP.NET Core's own scope already names the HTTP request "RequestId".
            ["RedemptionRequestId"] = redemptionRequestId,
        };
        if (providerId is not null)
        {
            scope["ProviderId"] = providerId;
        }

        if (adviceId is not null)
        {
            scope["AdviceId"] = adviceId;
        }

        return log.BeginScope(scope);
    }

    /// <summary>The scope for an SUV endpoint, from the request's own logger factory.</summary>
    public static IDisposable? Scope(HttpContext context, Type endpoint, string clientId, string redemptionRequestId, string? adviceId = null) =>
        Scope(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(endpoint), clientId, redemptionRequestId, adviceId: adviceId);
}

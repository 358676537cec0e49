namespace EventLedger.Hosting;

/// <summary>
/// Declares the JSON message an endpoint reads itself (through SuvHttp, for uniform FORMAT_ERROR
/// answers), so that <see cref="SuvBodyTransformer"/> can still show it as the request body in the
/// OpenAPI document. It constrains nothing: content types are read liberally.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SuvBodyAttribute(Type requestType) : Attribute
{
    public Type RequestType { get; } = requestType;
}

namespace EventLedger.Hosting;

/// <summary>
/// What the switch shows besides its APIs (section <c>Management</c>): metrics, the OpenAPI document
/// and the API reference. Production defaults: metrics on, the reference off; with <c>Url</c> set
/// both are served only on that address (an internal interface, say), never on the one tills reach.
/// </summary>
public sealed class ManagementOptions : ICheckedSettings
{
    public const string Section = "Management";

    /// <summary>
    /// An extra address (e.g. <c>http://10.0.0.5:5091</c>) that alone serves <c>/metrics</c>,
    /// <c>/openapi</c>, <c>/docs</c> and the operator console (<c>/console</c>): requests for them that came in on another port are 404,
    /// whatever their Host header says. Ignored when Kestrel's endpoints are configured in
    /// <c>Kestrel:Endpoints</c> (then add the management endpoint there).
    /// </summary>
    public string? Url { get; set; }

    /// <summary>Whether <c>/metrics</c> (Prometheus) is served.</summary>
    public bool Metrics { get; set; } = true;

    /// <summary>Whether <c>/openapi/v1.json</c> and <c>/docs</c> are served; unset: only in demo mode.</summary>
    public bool? ApiReference { get; set; }

    /// <summary>The management address's port, when one is set: management paths answer on no other.</summary>
    public int? Port()
    {
        if (string.IsNullOrWhiteSpace(Url))
        {
            return null;
        }

        try
        {
            var address = Microsoft.AspNetCore.Http.BindingAddress.Parse(Url);
            return address.Port > 0 ? address.Port : throw new FormatException("no port");
        }
        catch (FormatException)
        {
            throw new StartupException($"{Section}:Url must be an http(s) URL with a port, like http://127.0.0.1:5091 (was '{Url}').");
        }
    }

    public void Check() => Port();

    public static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/docs") || path.StartsWithSegments("/console");
}

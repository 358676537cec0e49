namespace EventLedger.Hosting;

/// <summary>The switch's two APIs by base path: what the request pipeline tells apart before any area sees a request.</summary>
public static class ApiPaths
{
    /// <summary>Electrum's SUV interface, for originators.</summary>
    public const string Suv = EventLedger.Suv.SuvHttp.BasePath;

    /// <summary>The operations API, for operators and finance.</summary>
    public const string Operations = "/ops/v1";
}

namespace EventLedger.Providers;

/// <summary>A service provider the switch forwards to (section <c>Providers</c>, a list).</summary>
public sealed class ProviderOptions
{
    public const string Section = "Providers";
    public const int MinTimeoutMs = 100;
    public const int MaxTimeoutMs = 120_000;

    /// <summary>Its institution id: matched against <c>receiver.id</c> and <c>receiverInstId</c>.</summary>
    public string InstitutionId { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>Where its SUV interface lives; the switch appends <c>/suv/v1/...</c>.</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>The Basic credentials the switch presents to this provider.</summary>
    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>How long the switch waits for an answer before it calls the outcome unknown.</summary>
    public int TimeoutMs { get; set; } = 10_000;

    /// <summary>How long the switch waits for a connection before it calls the provider unreachable.</summary>
    public int ConnectTimeoutMs { get; set; } = 2_000;

    /// <summary>Most requests in flight to this provider at once.</summary>
    public int MaxConnections { get; set; } = 64;

    /// <summary>False for providers that take no confirmations: the switch consumes them.</summary>
    public bool TakesConfirmations { get; set; } = true;

    /// <summary>False for providers that take no reversals: the switch consumes them.</summary>
    public bool TakesReversals { get; set; } = true;

    /// <summary>Whether the switch reverses, at the provider, a redemption whose outcome it never learnt.</summary>
    public bool ReverseUnknownOutcomes { get; set; } = true;

    /// <summary>Voucher code prefixes this provider issues: routing when the request names no receiver.</summary>
    public List<string> VoucherCodePrefixes { get; set; } = [];

    public Uri Endpoint(string pathAndQuery) => new(new Uri(BaseUrl.TrimEnd('/') + "/"), pathAndQuery.TrimStart('/'));
}

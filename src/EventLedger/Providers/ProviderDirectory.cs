using EventLedger.Hosting;

namespace EventLedger.Providers;

/// <summary>Routes a request to the provider that issued its voucher.</summary>
public sealed class ProviderDirectory
{
    private readonly Dictionary<string, ProviderOptions> _byInstitution = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, ProviderOptions Provider)> _byPrefix = [];

    public ProviderDirectory(IEnumerable<ProviderOptions> providers)
    {
        foreach (var provider in providers)
        {
            Check(provider);
            if (!_byInstitution.TryAdd(provider.InstitutionId, provider))
            {
                throw new StartupException($"Providers: institution '{provider.InstitutionId}' is configured twice.");
            }

            foreach (var prefix in provider.VoucherCodePrefixes)
            {
                if (string.IsNullOrEmpty(prefix) || _byPrefix.Any(p => p.Prefix == prefix))
                {
                    throw new StartupException($"Providers: voucher code prefix '{prefix}' is empty or claimed twice.");
                }

                _byPrefix.Add((prefix, provider));
            }
        }

        // Longest prefix first, so a more specific range wins over a broader one.
        _byPrefix.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
    }

    public IReadOnlyCollection<ProviderOptions> All => _byInstitution.Values;

    public ProviderOptions? ByInstitution(string institutionId) => _byInstitution.GetValueOrDefault(institutionId);

    /// <summary>By the receiver the request names when it names one, else by the voucher code's prefix.</summary>
    public ProviderOptions? Route(string? receiverInstitutionId, string? voucherCode)
    {
        if (!string.IsNullOrEmpty(receiverInstitutionId))
        {
            return ByInstitution(receiverInstitutionId);
        }

        return voucherCode is null
            ? null
            : _byPrefix.FirstOrDefault(p => voucherCode.StartsWith(p.Prefix, StringComparison.Ordinal)).Provider;
    }

    private static void Check(ProviderOptions p)
    {
        if (string.IsNullOrWhiteSpace(p.InstitutionId))
        {
            throw new StartupException("Providers: every provider needs an InstitutionId.");
        }

        if (!Uri.TryCreate(p.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new StartupException($"Providers: '{p.InstitutionId}' needs an absolute http(s) BaseUrl.");
        }

        if (p.TimeoutMs is < ProviderOptions.MinTimeoutMs or > ProviderOptions.MaxTimeoutMs ||
            p.ConnectTimeoutMs < ProviderOptions.MinTimeoutMs || p.ConnectTimeoutMs > p.TimeoutMs)
        {
            throw new StartupException(
                $"Providers: '{p.InstitutionId}' TimeoutMs must be {ProviderOptions.MinTimeoutMs}..{ProviderOptions.MaxTimeoutMs} and ConnectTimeoutMs at least {ProviderOptions.MinTimeoutMs} and at most TimeoutMs.");
        }

        if (p.MaxConnections is < 1 or > 1024)
        {
            throw new StartupException($"Providers: '{p.InstitutionId}' MaxConnections must be 1..1024.");
        }
    }
}

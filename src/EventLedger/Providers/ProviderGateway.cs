using System.Net.Http.Headers;
using System.Text;

namespace EventLedger.Providers;

/// <summary>
/// The one place the switch talks HTTP to providers, with each provider's credentials and timeouts.
/// One long-lived client per provider, so each has its own connection limit and connect timeout.
/// </summary>
public sealed class ProviderGateway : IDisposable
{
    /// <summary>Largest answer read from a provider; anything bigger is treated as no answer.</summary>
    public const int MaxResponseBytes = 256 * 1024;

    private readonly Dictionary<string, HttpClient> _clients;
    private readonly ILogger<ProviderGateway> _logger;

    public ProviderGateway(ProviderDirectory providers, ILogger<ProviderGateway> logger)
    {
        _logger = logger;
        _clients = providers.All.ToDictionary(p => p.InstitutionId, p => new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(p.ConnectTimeoutMs),
            MaxConnectionsPerServer = p.MaxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    public async Task<UpstreamResult> SendAsync(ProviderOptions provider, HttpMethod method, string pathAndQuery, byte[]? jsonBody)
    {
        using var request = new HttpRequestMessage(method, provider.Endpoint(pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{provider.UserName}:{provider.Password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (jsonBody is not null)
        {
            request.Content = new ByteArrayContent(jsonBody);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        // Only the provider's timeout ends the call: an originator hanging up must not cut off a
        // redemption whose outcome the ledger still has to learn.
        using var timeout = new CancellationTokenSource(provider.TimeoutMs);
        try
        {
            using var response = await _clients[provider.InstitutionId]
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadBoundedAsync(response.Content, timeout.Token);
            return body is null
                ? new UpstreamResult.NoAnswer($"answer larger than {MaxResponseBytes} bytes")
                : new UpstreamResult.Answered((int)response.StatusCode, body);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return NotSent(provider, ex.Message);
        }
        catch (OperationCanceledException ex) when (!timeout.IsCancellationRequested && ex.InnerException is TimeoutException)
        {
            // SocketsHttpHandler's ConnectTimeout: the TCP handshake never completed, so nothing was sent.
            return NotSent(provider, $"no connection within {provider.ConnectTimeoutMs} ms");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            _logger.LogWarning("Provider {Provider} gave no answer within {TimeoutMs} ms", provider.InstitutionId, provider.TimeoutMs);
            return new UpstreamResult.NoAnswer($"no answer within {provider.TimeoutMs} ms");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The connection broke after the request may have left: headers or body cut short.
            _logger.LogWarning("Provider {Provider} connection failed after sending: {Reason}", provider.InstitutionId, Hosting.Faults.Describe(ex));
            return new UpstreamResult.NoAnswer(Hosting.Faults.Describe(ex));
        }
    }

    private UpstreamResult.NotSent NotSent(ProviderOptions provider, string reason)
    {
        _logger.LogWarning("Provider {Provider} unreachable: {Reason}", provider.InstitutionId, reason);
        return new UpstreamResult.NotSent(reason);
    }

    private static async Task<byte[]?> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

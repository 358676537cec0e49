using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using EventLedger.ProviderSimulator;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.LoadGenerator;

/// <summary>Speaks SUV to the switch as a till would, and to the simulator to provision the vouchers it spends.</summary>
public sealed class SuvDriver : IDisposable
{
    private const int ProvisionParallelism = 16;
    private readonly HttpClient _switch;
    private readonly HttpClient _simulator;
    private readonly LoadOptions _options;
    private readonly Recorder _recorder;
    private readonly ConcurrentQueue<string> _vouchers = new();

    public SuvDriver(LoadOptions options, Recorder recorder)
    {
        _options = options;
        _recorder = recorder;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = LoadOptions.MaxConcurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        _switch = Client(options.Switch, options.ClientId, options.ClientPassword, handler);
        _simulator = SimulatorClient.Create(options.Simulator, options.SimulatorUser, options.SimulatorPassword);
    }

    public int VouchersLeft => _vouchers.Count;

    public async Task ProvisionAsync(int count, CancellationToken ct)
    {
        var client = new Institution { Id = _options.SimulatorUser, Name = "Load" };
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = ProvisionParallelism, CancellationToken = ct }, async (_, token) =>
            _vouchers.Enqueue(await SimulatorClient.ProvisionAsync(_simulator, client, Till(), 10_000, ct: token)));
    }

    /// <summary>One redemption with a fresh voucher; the request id when it was approved, else null.</summary>
    public async Task<string?> RedeemAsync(CancellationToken ct)
    {
        if (!_vouchers.TryDequeue(out var code))
        {
            // Counted, not thrown: a run that outlasts its vouchers still reports what it measured.
            _recorder.Error("redeem", 0, "out-of-vouchers (raise --vouchers)");
            await Task.Yield();
            return null;
        }

        var request = new RedemptionRequest
        {
            Id = Guid.NewGuid().ToString(), Time = Now(), Originator = Till(), Client = new Institution { Id = _options.ClientId, Name = "Load" },
            ThirdPartyIdentifiers = [new ThirdPartyIdentifier { InstitutionId = _options.ClientId, TransactionIdentifier = "LOAD" }],
            Voucher = new Voucher { Code = code },
            Amounts = new Amounts { RequestAmount = new LedgerAmount { Amount = 10_000, Currency = "710" } },
        };
        return await SendAsync("redeem", HttpMethod.Post, "suv/v1/redemptions", request, 201, ct) ? request.Id : null;
    }

    public Task<bool> ConfirmAsync(string requestId, CancellationToken ct) =>
        SendAsync("confirm", HttpMethod.Post, "suv/v1/redemptions/confirmations", Advice(requestId), 202, ct);

    public Task<bool> ReverseAsync(string requestId, CancellationToken ct)
    {
        var advice = Advice(requestId);
        var reversal = new BasicReversal
        {
            Id = advice.Id, RequestId = advice.RequestId, Time = advice.Time, ThirdPartyIdentifiers = advice.ThirdPartyIdentifiers, ReversalReason = "CANCELLED",
        };
        return SendAsync("reverse", HttpMethod.Post, "suv/v1/redemptions/reversals", reversal, 202, ct);
    }

    public Task<bool> LookupAsync(string requestId, CancellationToken ct) =>
        SendAsync<object?>("lookupRedemption", HttpMethod.Get, $"suv/v1/redemptions/{requestId}", null, 200, ct);

    public void Dispose()
    {
        _switch.Dispose();
        _simulator.Dispose();
    }

    private async Task<bool> SendAsync<T>(string operation, HttpMethod method, string path, T? body, int expected, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: SuvJson.Options);
        }

        try
        {
            using var response = await _switch.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            _recorder.Record(operation, start);
            if ((int)response.StatusCode == expected)
            {
                return true;
            }

            _recorder.Error(operation, (int)response.StatusCode, ErrorTypeOf(text));
            return false;
        }
        catch (HttpRequestException ex)
        {
            _recorder.Error(operation, 0, ex.HttpRequestError.ToString());
            return false;
        }
    }

    private static string? ErrorTypeOf(string body)
    {
        try
        {
            return body.Length == 0 ? null : SuvJson.Deserialize<ErrorDetail>(body).ErrorType;
        }
        catch (System.Text.Json.JsonException)
        {
            return "unreadable";
        }
    }

    private BasicAdvice Advice(string requestId) => new()
    {
        Id = Guid.NewGuid().ToString(), RequestId = requestId, Time = Now(),
        ThirdPartyIdentifiers = [new ThirdPartyIdentifier { InstitutionId = _options.ClientId, TransactionIdentifier = "LOAD" }],
    };

    private static Originator Till() => new()
    {
        Institution = new Institution { Id = "11111111", Name = "Load Shop" },
        TerminalId = "LOAD0001",
        Merchant = new Merchant
        {
            MerchantId = "LOADMERCHANT001", MerchantType = "5411",
            MerchantName = new MerchantName { Name = "Load Shop", City = "Cape Town", Region = "WC", Country = "ZA" },
        },
    };

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static HttpClient Client(Uri baseAddress, string user, string password, HttpMessageHandler handler)
    {
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }
}

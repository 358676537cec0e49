using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.ProviderSimulator;

/// <summary>
/// Issues vouchers on a simulator the way a provider's sales channel would (provision, then confirm
/// the sale): for the demo, the tests and the load generator alike.
/// </summary>
public static class SimulatorClient
{
    public static HttpClient Create(Uri baseAddress, string user, string password)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return http;
    }

    /// <summary>A new voucher's code; confirmed (redeemable) unless <paramref name="confirm"/> is false.</summary>
    public static async Task<string> ProvisionAsync(
        HttpClient http, Institution client, Originator originator, long valueMinor, bool confirm = true, CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString();
        var time = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var request = new ProvisionRequest
        {
            Id = id,
            Time = time,
            Client = client,
            Originator = originator,
            ThirdPartyIdentifiers = [new ThirdPartyIdentifier { InstitutionId = client.Id, TransactionIdentifier = id[..8] }],
            Amounts = new Amounts { RequestAmount = new LedgerAmount { Amount = valueMinor, Currency = "710" } },
        };
        using var provisioned = await http.PostAsJsonAsync("suv/v1/vouchers", request, SuvJson.Options, ct);
        provisioned.EnsureSuccessStatusCode();
        var response = (await provisioned.Content.ReadFromJsonAsync<ProvisionResponse>(SuvJson.Options, ct))!;
        if (confirm)
        {
            var confirmation = new TenderAdvice
            {
                Id = Guid.NewGuid().ToString(),
                RequestId = id,
                Time = time,
                ThirdPartyIdentifiers = response.ThirdPartyIdentifiers,
                Tenders = [new Tender { TenderType = "CASH", Amount = request.Amounts.RequestAmount }],
            };
            using var confirmed = await http.PostAsJsonAsync("suv/v1/vouchers/confirmations", confirmation, SuvJson.Options, ct);
            confirmed.EnsureSuccessStatusCode();
        }

        return response.Voucher!.Code!;
    }
}

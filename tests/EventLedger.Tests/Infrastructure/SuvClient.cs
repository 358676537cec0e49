using System.Net.Http.Json;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Infrastructure;

/// <summary>An answer from the switch: status and raw body, with typed views.</summary>
public sealed record SuvAnswer(int Status, string Body)
{
    public ErrorDetail Error => SuvJson.Deserialize<ErrorDetail>(Body);

    public T As<T>() => SuvJson.Deserialize<T>(Body);

    public override string ToString() => $"{Status} {Body}";
}

public static class SuvClient
{
    public static async Task<SuvAnswer> PostAsync<T>(this HttpClient client, string path, T message)
    {
        using var response = await client.PostAsJsonAsync(path, message, SuvJson.Options);
        return new SuvAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Task<SuvAnswer> RedeemAsync(this HttpClient client, RedemptionRequest request) =>
        client.PostAsync("/suv/v1/redemptions", request);

    public static Task<SuvAnswer> ConfirmAsync(this HttpClient client, BasicAdvice advice) =>
        client.PostAsync("/suv/v1/redemptions/confirmations", advice);

    public static Task<SuvAnswer> ReverseAsync(this HttpClient client, BasicReversal reversal) =>
        client.PostAsync("/suv/v1/redemptions/reversals", reversal);
}

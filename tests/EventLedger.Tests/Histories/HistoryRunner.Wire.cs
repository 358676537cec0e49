using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Histories;

/// <summary>The history's calls on the wire, and waiting for conditions while the switch and its database come and go.</summary>
public sealed partial class HistoryRunner
{
    private async Task<(int? Status, string? Body)> PostAsync(string path, object message)
    {
        try
        {
            using var content = new ByteArrayContent(SuvJson.SerializeToUtf8(message));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await world.Client.PostAsync(path, content);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (null, null);
        }
    }

    private async Task<(int? Status, string? Body)> GetAsync(string path)
    {
        try
        {
            using var response = await world.Client.GetAsync(path);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            return (null, null);
        }
    }

    private static string? ErrorTypeOf(string? body)
    {
        try
        {
            return body is null ? null : SuvJson.Deserialize<ErrorDetail>(body).ErrorType;
        }
        catch (System.Text.Json.JsonException)
        {
            return "not an ErrorDetail";
        }
    }

    private static async Task Until(Func<Task<bool>> done, TimeSpan until, string what)
    {
        while (!await Patiently(done))
        {
            if (Clock.Elapsed > until)
            {
                throw new HistoryViolationException($"gave up waiting for {what}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Reads the ledger, waiting out the nemesis's database outages (the test's own reads are not under test).</summary>
    private static async Task<T> Patiently<T>(Func<Task<T>> read)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await read();
            }
            catch (Exception ex) when (global::EventLedger.Hosting.Faults.IsDatabaseUnavailable(ex) && attempt < 120)
            {
                await Task.Delay(500);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using EventLedger.Suv.Messages;

namespace EventLedger.Tests.Infrastructure;

/// <summary>One call a till made and what it got: status 0 when no HTTP answer came at all.</summary>
public sealed record TillCall(string Operation, string RequestId, string? AdviceId, int Status, string? ErrorType, DateTimeOffset At, TimeSpan Took);

/// <summary>
/// Tills redeeming through a switch in a loop while a test breaks things: each issues a voucher at
/// the provider, redeems it, then confirms or reverses (alternately), resending an advice answered
/// 503 as a real till would (after <c>Retry-After</c>). Every call and answer is kept for the checks.
/// </summary>
public sealed class TillLoad : IAsyncDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<TillCall> _calls = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tills;

    public TillLoad(int tills, Func<HttpClient> client, Func<Task<string>> provision)
    {
        _tills = Enumerable.Range(0, tills).Select(i => Task.Run(() => RunAsync(i, client, provision))).ToList();
    }

    public IReadOnlyList<TillCall> Calls => [.. _calls];

    /// <summary>Redemptions answered 201 since <paramref name="since"/>.</summary>
    public int ApprovedSince(DateTimeOffset since) => _calls.Count(c => c.Operation == "redeem" && c.Status == 201 && c.At >= since);

    /// <summary>Stops the tills after their current step (an advice owed is still resent until answered).</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tills);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RunAsync(int till, Func<HttpClient> client, Func<Task<string>> provision)
    {
        using var http = client();
        for (var n = 0; !_stop.IsCancellationRequested; n++)
        {
            var request = Messages.Redemption(await provision());
            var redeemed = await CallAsync("redeem", request.Id!, null, () => http.RedeemAsync(request));
            if (redeemed.Status == 503)
            {
                await Task.Delay(RetryAfter);
            }

            if (redeemed.Status != 201)
            {
                continue;
            }

            BasicAdvice advice = (till + n) % 2 == 0 ? Messages.Confirmation(request.Id!) : Messages.Reversal(request.Id!);
            // An advice the switch did not take is resent until it is, however long the outage.
            while (true)
            {
                var answer = await CallAsync(advice is BasicReversal ? "reverse" : "confirm", request.Id!, advice.Id,
                    () => advice is BasicReversal r ? http.ReverseAsync(r) : http.ConfirmAsync(advice));
                if (answer.Status is not (503 or 0))
                {
                    break;
                }

                await Task.Delay(RetryAfter);
            }
        }
    }

    private async Task<TillCall> CallAsync(string operation, string requestId, string? adviceId, Func<Task<SuvAnswer>> call)
    {
        var at = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        TillCall result;
        try
        {
            var answer = await call();
            var errorType = answer.Status >= 400 ? TryErrorType(answer) : null;
            result = new TillCall(operation, requestId, adviceId, answer.Status, errorType, at, clock.Elapsed);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            result = new TillCall(operation, requestId, adviceId, 0, ex.GetType().Name, at, clock.Elapsed);
        }

        _calls.Enqueue(result);
        return result;
    }

    private static string? TryErrorType(SuvAnswer answer)
    {
        try
        {
            return answer.Error.ErrorType;
        }
        catch (System.Text.Json.JsonException)
        {
            return "not an ErrorDetail";
        }
    }
}

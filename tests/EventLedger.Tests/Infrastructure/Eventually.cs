namespace EventLedger.Tests.Infrastructure;

/// <summary>Bounded waits for a condition, instead of sleeping and hoping.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }

    public static Task<T> ReturnsAsync<T>(Func<T> probe, Func<T, bool> done, TimeSpan timeout, string what) =>
        ReturnsAsync(() => Task.FromResult(probe()), done, timeout, what);
}

namespace EventLedger.StoreAndForward;

/// <summary>Capped exponential backoff with jitter: spreads a recovering provider's backlog instead of stampeding it.</summary>
public static class Backoff
{
    /// <param name="attempts">Attempts made so far (1 after the first failure).</param>
    /// <param name="jitter">A value in [0, 1): the delay is drawn from [half, full] of the capped exponential.</param>
    public static TimeSpan Delay(StoreAndForwardOptions options, int attempts, double jitter)
    {
        var exponent = Math.Min(Math.Max(attempts - 1, 0), 30);
        var capped = Math.Min(options.FirstRetryDelayMs * Math.Pow(2, exponent), options.MaxRetryDelayMs);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (jitter / 2)));
    }
}

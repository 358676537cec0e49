using EventLedger.StoreAndForward;

namespace EventLedger.Tests.StoreAndForward;

/// <summary>Capped exponential backoff with jitter, cell by cell (1 s first, 60 s cap).</summary>
public sealed class BackoffTests
{
    private static readonly StoreAndForwardOptions Options = new() { FirstRetryDelayMs = 1_000, MaxRetryDelayMs = 60_000 };

    [Theory]
    [InlineData(1, 0.0, 500)]
    [InlineData(1, 1.0, 1_000)]
    [InlineData(2, 0.0, 1_000)]
    [InlineData(3, 1.0, 4_000)]
    [InlineData(6, 1.0, 32_000)]
    [InlineData(7, 1.0, 60_000)]
    [InlineData(7, 0.0, 30_000)]
    [InlineData(1_000, 1.0, 60_000)]
    [InlineData(0, 1.0, 1_000)]
    [InlineData(-5, 0.0, 500)]
    public void The_delay_doubles_from_the_first_up_to_the_cap_and_jitter_takes_up_to_half_off(int attempts, double jitter, double expectedMs) =>
        Backoff.Delay(Options, attempts, jitter).TotalMilliseconds.Should().BeApproximately(expectedMs, 0.001);
}

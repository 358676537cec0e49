namespace EventLedger.Hosting;

/// <summary>
/// Named points where the crash tests stop the switch on purpose. Armed only by the environment
/// variable <c>EVENTLEDGER_FAILPOINT</c>; when its point is reached the switch announces it on
/// standard output and freezes, so the test can kill the process exactly there. Unarmed (always,
/// in production) a point costs one string comparison.
/// </summary>
public static class FailPoints
{
    /// <summary>A forward message was taken from the durable queue; nothing was sent yet.</summary>
    public const string BeforeForward = "before-forward";

    /// <summary>The provider answered an advice; its answer is not yet in the ledger.</summary>
    public const string AfterProviderAnswer = "after-provider-answer";

    private static readonly string? Armed = Environment.GetEnvironmentVariable("EVENTLEDGER_FAILPOINT");

    public static void Reach(string name)
    {
        if (Armed != name)
        {
            return;
        }

        Console.Out.WriteLine($"FAILPOINT {name} reached");
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
    }
}

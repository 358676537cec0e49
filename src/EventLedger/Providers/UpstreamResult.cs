namespace EventLedger.Providers;

/// <summary>What became of a call to a provider. The distinction decides who owes whom a reversal.</summary>
public abstract record UpstreamResult
{
    private UpstreamResult()
    {
    }

    /// <summary>The provider answered with this status and body.</summary>
    public sealed record Answered(int Status, byte[] Body) : UpstreamResult;

    /// <summary>The request certainly never reached the provider (no connection): nothing happened there.</summary>
    public sealed record NotSent(string Reason) : UpstreamResult;

    /// <summary>The request may have reached the provider but no answer came (timeout, connection lost).</summary>
    public sealed record NoAnswer(string Reason) : UpstreamResult;

    /// <summary>
    /// Statuses by which a provider turns a request away before doing anything with it: the switch's
    /// credentials (401, 403), or "not now" (408, 429). Nothing happened there; the cause is the
    /// switch's or the moment's, never the originator's.
    /// </summary>
    public static bool TurnedAway(int status) => status is 401 or 403 or 408 or 429;
}

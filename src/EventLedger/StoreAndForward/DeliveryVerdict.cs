using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Suv;
using EventLedger.Suv.Messages;

namespace EventLedger.StoreAndForward;

/// <summary>What one attempt to deliver an advice means, by the protocol's rules.</summary>
public abstract record DeliveryVerdict(int? ProviderStatus)
{
    /// <summary>A final yes: 2xx, or 404 to a reversal (nothing there to reverse).</summary>
    public sealed record Acknowledged(int Status) : DeliveryVerdict(Status);

    /// <summary>A final no: 400, 404 to a confirmation, or another 4xx that no retry will change.</summary>
    public sealed record Refused(int Status, string? ErrorType, string? ErrorMessage) : DeliveryVerdict(Status);

    /// <summary>No final answer yet: try again later, without end.</summary>
    public sealed record Retry(int? Status, string Reason) : DeliveryVerdict(Status);

    /// <param name="notFoundIsFinal">
    /// Whether a 404 to a reversal may be taken as "nothing to reverse". Not while the request it
    /// reverses may still be on its way to the provider: a reversal can overtake its own request
    /// (the switch reverses as soon as it gives up waiting), and a provider that answers 404 and then
    /// redeems the late request would keep a redemption the ledger says is reversed.
    /// </param>
    public static DeliveryVerdict Of(AdviceKind kind, UpstreamResult result, bool notFoundIsFinal = true) => result switch
    {
        UpstreamResult.Answered { Status: >= 200 and < 300 } ok => new Acknowledged(ok.Status),
        UpstreamResult.Answered { Status: 404 } when kind == AdviceKind.Reversal && notFoundIsFinal => new Acknowledged(404),
        UpstreamResult.Answered { Status: 404 } when kind == AdviceKind.Reversal =>
            new Retry(404, "the provider does not know the request yet; it may still arrive"),
        // Credentials the operator must fix, and the two statuses that say "later": keep trying.
        UpstreamResult.Answered later when UpstreamResult.TurnedAway(later.Status) => new Retry(later.Status, $"provider answered HTTP {later.Status}"),
        UpstreamResult.Answered { Status: >= 400 and < 500 } no => Refusal(no),
        UpstreamResult.Answered other => new Retry(other.Status, $"provider answered HTTP {other.Status}"),
        UpstreamResult.NotSent notSent => new Retry(null, "provider unreachable: " + notSent.Reason),
        UpstreamResult.NoAnswer noAnswer => new Retry(null, "no answer: " + noAnswer.Reason),
        _ => throw new InvalidOperationException("unknown upstream result"),
    };

    /// <summary>The verdict with the provider's words cleared of the voucher's secrets, before anything records or logs them.</summary>
    public DeliveryVerdict Scrubbed(Security.Secrets secrets) => this is Refused refused
        ? refused with
        {
            ErrorType = Security.SecretScrubber.Identifier(refused.ErrorType, secrets),
            ErrorMessage = Security.SecretScrubber.Text(refused.ErrorMessage, secrets),
        }
        : this;

    private static Refused Refusal(UpstreamResult.Answered answer)
    {
        var error = SuvReader.Read<ErrorDetail>(answer.Body, Suv.Validation.SuvValidator.Validate).Message;
        return new Refused(answer.Status, error?.ErrorType, error?.ErrorMessage);
    }
}

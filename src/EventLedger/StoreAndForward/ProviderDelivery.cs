using EventLedger.Redemptions;

namespace EventLedger.StoreAndForward;

public enum DeliveryStatus
{
    /// <summary>Not yet acknowledged: being tried, or waiting for its next attempt.</summary>
    Pending,

    /// <summary>The provider acknowledged it. Final.</summary>
    Acknowledged,

    /// <summary>The provider refused it with a final answer: an operator must look, and may re-send.</summary>
    Refused,

    /// <summary>
    /// Its provider is not configured, or does not take advices of its kind (the configuration
    /// changed after the advice was accepted): kept with the reason in <c>LastError</c>, and sent
    /// as soon as a configuration that can take it is running.
    /// </summary>
    Held,
}

/// <summary>One attempt to deliver an advice: when, the provider's HTTP status (none when no answer came), and the error.</summary>
public sealed record DeliveryAttempt(int Number, DateTimeOffset At, int? Status, string? Error);

/// <summary>
/// The operational state of one advice on its way to a provider. The ledger holds the facts
/// (advice decided, acknowledged, refused, operator actions); this document holds what operators
/// need in between (attempts, last error, next attempt), which would only bloat the stream.
/// </summary>
public sealed class ProviderDelivery
{
    /// <summary><c>{stream key}:{advice id}</c>: one delivery per advice of a redemption.</summary>
    public string Id { get; set; } = "";

    public string StreamKey { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string RequestId { get; set; } = "";

    public string ProviderId { get; set; } = "";

    public AdviceKind Kind { get; set; }

    /// <summary>The keyed hashes of the redemption's voucher code and PIN: how a provider's answer that echoes them is recognised and masked.</summary>
    public string? VoucherCodeHash { get; set; }

    public string? VoucherPinHash { get; set; }

    public string AdviceId { get; set; } = "";

    /// <summary>
    /// The advice exactly as it goes to the provider, the same on every attempt: under the switch's
    /// ids for it and its request, with the response's identifiers (<see cref="UpstreamIds.AdviceJson"/>).
    /// </summary>
    public string AdviceJson { get; set; } = "";

    public DeliveryStatus Status { get; set; }

    /// <summary>Bumped by an operator's retry or re-send; messages of an older generation are stale and dropped.</summary>
    public int Generation { get; set; }

    public int Attempts { get; set; }

    public int? LastStatus { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// Set when an attempt starts, to the latest it can still be running (provider timeout plus a
    /// margin): a second copy of the message, or the sweeper, leaves the delivery alone until then.
    /// </summary>
    public DateTimeOffset? ClaimedUntil { get; set; }

    /// <summary>
    /// Names the attempt holding the claim. An attempt that outlived its claim (the claim ran out
    /// and the advice was queued again) finds another token, or none, and schedules nothing: only
    /// the attempt holding the claim decides the next one. On a finished delivery it names the
    /// attempt that finished it.
    /// </summary>
    public string? ClaimToken { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// The node whose queue holds its next attempt (or that is making it). Should that node die, a
    /// live node queues it again once it is due (<c>OverdueSweeper</c>).
    /// </summary>
    public string? QueuedBy { get; set; }

    /// <summary>Attempts kept in <see cref="RecentAttempts"/>; <see cref="Attempts"/> counts them all.</summary>
    public const int MaxAttemptsKept = 20;

    /// <summary>The latest attempts, oldest first: what operators read of a delivery's history, bounded however long a provider stays away.</summary>
    public List<DeliveryAttempt> RecentAttempts { get; set; } = [];

    /// <summary>Counts an attempt and what came of it.</summary>
    public void Attempted(DateTimeOffset at, int? status, string? error)
    {
        Attempts++;
        LastStatus = status;
        LastError = error;
        LastAttemptAt = at;
        RecentAttempts.Add(new DeliveryAttempt(Attempts, at, status, error));
        if (RecentAttempts.Count > MaxAttemptsKept)
        {
            RecentAttempts.RemoveRange(0, RecentAttempts.Count - MaxAttemptsKept);
        }
    }

    public static string IdFor(string streamKey, string adviceId) => $"{streamKey}:{adviceId}";

    /// <summary>The redemption stream a delivery id belongs to (stream keys and advice ids hold no colon).</summary>
    public static string StreamKeyOf(string deliveryId) => deliveryId[..deliveryId.LastIndexOf(':')];
}

/// <summary>
/// The durable message that carries one attempt of a delivery. <c>Generation</c> and
/// <c>Attempt</c> (the attempts made when it was sent) make every copy but the current one stale,
/// so a message recovered twice, or re-queued by the sweeper, never starts a second retry chain.
/// </summary>
public sealed record ForwardAdvice(string DeliveryId, string ProviderId, int Generation, int Attempt);

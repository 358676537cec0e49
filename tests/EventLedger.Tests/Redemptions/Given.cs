using EventLedger.Providers;
using EventLedger.Redemptions;
using EventLedger.Security;
using EventLedger.Suv.Messages;
using EventLedger.Tests.Infrastructure;

namespace EventLedger.Tests.Redemptions;

/// <summary>Small event histories to fold into a given state, and commands to decide on it.</summary>
public static class Given
{
    public const string ClientId = "22222222";
    public const string RequestId = "ca487760-974c-8313-a27d-1d728c54e6fd";
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static RedemptionRequested Requested() => new(
        ClientId, RequestId, Messages.Time, "44444444", "SWITCHREF", "11111111", "merchant1234567", "term0001",
        10_000, "710", "************9012", "hash", "{}", Now);

    public static VoucherRedeemed Approved() => new(201, "{}", 10_000, "710", "PREF", Now);

    public static RedemptionDeclined Declined() => new(400, ErrorTypes.VoucherAlreadyRedeemed, "{}", Now);

    public static RedemptionNotSent NotSent() => new("refused", "{}", Now);

    public static RedemptionOutcomeUnknown Unknown() => new("timeout", "{}", Now);

    public static RedemptionConfirmed Confirmed(string adviceId = "c0000000-0000-0000-0000-000000000001") =>
        new(adviceId, "{}", AdviceDelivery.Forward, Now);

    public static RedemptionReversed Reversed(ReversalOrigin origin = ReversalOrigin.Originator, AdviceDelivery delivery = AdviceDelivery.Forward) =>
        new("d0000000-0000-0000-0000-000000000001", origin, "CANCELLED", "{}", delivery, Now);

    public static ReversalReceivedBeforeRequest ReversalBeforeRequest() =>
        new(ClientId, RequestId, "e0000000-0000-0000-0000-000000000001", "{}", Now);

    public static Redemption? State(params object[] events) => Redemption.Fold(events);

    /// <summary>The state of a stream that starts with its request.</summary>
    public static Redemption.Requested Made(params object[] events) => Redemption.AfterRequest(Redemption.Fold(events));

    public static AdviceCommand Confirmation(string adviceId = "a0000000-0000-0000-0000-000000000001") =>
        new(AdviceKind.Confirmation, ClientId, adviceId, RequestId, "{\"id\":\"" + adviceId + "\"}", null);

    public static AdviceCommand Reversal(string adviceId = "b0000000-0000-0000-0000-000000000001") =>
        new(AdviceKind.Reversal, ClientId, adviceId, RequestId, "{\"id\":\"" + adviceId + "\"}", "CANCELLED");

    public static RedeemCommand Command(bool reverseUnknown = true, bool takesReversals = true) => new(
        Messages.Redemption("4444123456789012", RequestId, ClientId),
        RequestId,
        Messages.Time,
        ClientId,
        new ProviderOptions { InstitutionId = "44444444", ReverseUnknownOutcomes = reverseUnknown, TakesReversals = takesReversals },
        new ProtectedCode("************9012", "hash"),
        "SWITCHREF",
        new Institution { Id = "33333333", Name = "EventLedger" });
}

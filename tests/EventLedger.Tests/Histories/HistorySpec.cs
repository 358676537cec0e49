using System.Text;
using CsCheck;

namespace EventLedger.Tests.Histories;

/// <summary>How a redemption's voucher was issued: fresh, the first redemption's (so two compete for it), or never confirmed by its sale.</summary>
public enum VoucherKind
{
    Fresh,
    Shared,
    Unconfirmed,
}

/// <summary>What the provider does with the redemption request.</summary>
public enum RedeemFault
{
    None,
    Answers500,
    Answers503,
    TooSlow,
    DropsTheConnection,
    CutsTheAnswerShort,
    TurnsAway,
    Unreachable,
}

/// <summary>What the provider does with the first deliveries of an advice (later ones succeed).</summary>
public enum AdviceFault
{
    None,
    Unavailable,
    TooSlow,
    DropsTheConnection,
}

public enum OpKind
{
    Redeem,
    Confirm,
    Reverse,
    Lookup,
}

public sealed record RedemptionSpec(VoucherKind Voucher, RedeemFault Fault);

/// <summary>
/// One thing a till does, <c>DelayMs</c> after the history starts (so ops overlap and arrive in any
/// order). <c>Advice</c> picks one of two advice ids per kind: the same id again is a repeat.
/// </summary>
public sealed record OpSpec(OpKind Kind, int Redemption, int Advice, int DelayMs, AdviceFault Fault, bool UpperCaseRequestId);

/// <summary>A generated history: its redemptions and the ops on them. Ids and vouchers are made fresh at every run.</summary>
public sealed record HistorySpec(IReadOnlyList<RedemptionSpec> Redemptions, IReadOnlyList<OpSpec> Ops)
{
    public override string ToString()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Redemptions.Count; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"r{i}: {Redemptions[i].Voucher} voucher, provider {Redemptions[i].Fault}; ");
        }

        foreach (var op in Ops.OrderBy(o => o.DelayMs))
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"@{op.DelayMs}ms {op.Kind} r{op.Redemption}");
            if (op.Kind is OpKind.Confirm or OpKind.Reverse)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $" advice {op.Advice}{(op.Fault == AdviceFault.None ? "" : ", delivery " + op.Fault)}");
            }

            text.Append(op.UpperCaseRequestId ? " (id upper-case); " : "; ");
        }

        return text.ToString().TrimEnd(' ', ';');
    }

    private static readonly Gen<RedemptionSpec> RedemptionGen = CsCheck.Gen.Select(
        CsCheck.Gen.Frequency((6, VoucherKind.Fresh), (2, VoucherKind.Shared), (1, VoucherKind.Unconfirmed)),
        CsCheck.Gen.Frequency(
            (10, RedeemFault.None), (1, RedeemFault.Answers500), (1, RedeemFault.Answers503), (1, RedeemFault.TooSlow),
            (1, RedeemFault.DropsTheConnection), (1, RedeemFault.CutsTheAnswerShort), (1, RedeemFault.TurnsAway), (1, RedeemFault.Unreachable)),
        (voucher, fault) => new RedemptionSpec(voucher, fault));

    /// <summary>Redemptions 1–2, a redeem of each, then up to six more ops of any kind, in any order.</summary>
    public static readonly Gen<HistorySpec> Gen = CsCheck.Gen.Int[1, 2].SelectMany(count =>
        CsCheck.Gen.Select(RedemptionGen.Array[count], OpGen(count, OpKind.Redeem).Array[count], OpGen(count, null).Array[0, 6],
            (redemptions, redeems, more) => new HistorySpec(
                redemptions,
                [.. redeems.Select((op, i) => op with { Redemption = i }), .. more])));

    private static Gen<OpSpec> OpGen(int redemptions, OpKind? kind) => CsCheck.Gen.Select(
        kind is { } k ? CsCheck.Gen.Const(k) : CsCheck.Gen.Frequency((2, OpKind.Redeem), (4, OpKind.Confirm), (4, OpKind.Reverse), (1, OpKind.Lookup)),
        CsCheck.Gen.Int[0, redemptions - 1],
        CsCheck.Gen.Int[0, 1],
        CsCheck.Gen.Int[0, 16],
        CsCheck.Gen.Frequency((6, AdviceFault.None), (2, AdviceFault.Unavailable), (1, AdviceFault.TooSlow), (1, AdviceFault.DropsTheConnection)),
        CsCheck.Gen.Frequency((5, false), (1, true)),
        (op, redemption, advice, delaySteps, fault, upper) => new OpSpec(op, redemption, advice, delaySteps * 25, fault, upper));
}

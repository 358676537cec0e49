using System.Security.Cryptography;
using EventLedger.Suv.Messages;

namespace EventLedger.ProviderSimulator;

/// <summary>Electrum's voucher life cycle as the test server plays it.</summary>
public enum VoucherState
{
    /// <summary>Issued but the sale is not confirmed yet: not redeemable.</summary>
    Provisioned,

    /// <summary>The sale is confirmed: redeemable.</summary>
    Confirmed,

    /// <summary>The sale was reversed: never redeemable.</summary>
    ProvisionReversed,

    /// <summary>Redeemed; a reversal of that redemption makes it redeemable again.</summary>
    Redeemed,

    /// <summary>Redeemed and the redemption confirmed: spent for good.</summary>
    RedemptionConfirmed,
}

public enum SimulatedRedemptionState
{
    Redeemed,
    Confirmed,
    Reversed,
}

public sealed class SimulatedRedemption
{
    public required string RequestId { get; init; }
    public required SimulatedVoucher Voucher { get; init; }
    public required string Reference { get; init; }
    public SimulatedRedemptionState State { get; set; }
}

/// <summary>The simulator's answer to a redemption or one of its advices.</summary>
public enum RedemptionVerdict
{
    Accepted,
    Duplicate,
    UnknownVoucher,
    UnknownRedemption,
    NotRedeemable,
    AlreadyRedeemed,
    AlreadyConfirmed,
    AlreadyReversed,
}

public sealed class SimulatedVoucher
{
    public required string Code { get; init; }
    public required string SerialNumber { get; init; }
    public required string ProvisionRequestId { get; init; }
    public required long ValueMinor { get; init; }
    public required string Currency { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public Product? Product { get; init; }
    public VoucherState State { get; set; }
}

/// <summary>The simulator's vouchers, in memory by design: it is a test double for a provider's system.</summary>
public sealed class VoucherBook(SimulatorOptions options)
{
    private const int CodeLength = 16;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SimulatedVoucher> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimulatedVoucher> _byProvisionId = new(StringComparer.OrdinalIgnoreCase);
    // Ids compare exactly, as a strict provider's would: a request id spelt differently is another request.
    private readonly Dictionary<string, SimulatedRedemption> _redemptions = new(StringComparer.Ordinal);

    /// <summary>
    /// Request ids reversed before any redemption with them arrived: a reversal can overtake its own
    /// request (the switch gave up waiting and reversed at once), so the late request must be
    /// refused, not redeemed, exactly as the switch does for its originators.
    /// </summary>
    private readonly HashSet<string> _reversedBeforeRequest = new(StringComparer.Ordinal);

    public Lock Gate => _gate;

    /// <summary>Issues a voucher for a provision request; null when the request id was seen before.</summary>
    public SimulatedVoucher? Issue(string provisionRequestId, long valueMinor, string currency, Product? product, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_byProvisionId.ContainsKey(provisionRequestId))
            {
                return null;
            }

            if (_byCode.Count >= options.MaxVouchers)
            {
                throw new InvalidOperationException("voucher book is full");
            }

            var voucher = new SimulatedVoucher
            {
                Code = NewCode(),
                SerialNumber = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
                ProvisionRequestId = provisionRequestId,
                ValueMinor = valueMinor,
                Currency = currency,
                ExpiresAt = now.AddYears(1),
                Product = product,
                State = VoucherState.Provisioned,
            };
            _byCode.Add(voucher.Code, voucher);
            _byProvisionId.Add(provisionRequestId, voucher);
            return voucher;
        }
    }

    /// <summary>Issues a voucher whose sale is already confirmed: redeemable at once.</summary>
    public SimulatedVoucher IssueRedeemable(long valueMinor, string currency, DateTimeOffset now)
    {
        lock (_gate)
        {
            var voucher = Issue(Guid.NewGuid().ToString(), valueMinor, currency, null, now)!;
            voucher.State = VoucherState.Confirmed;
            return voucher;
        }
    }

    public SimulatedVoucher? ByCode(string code)
    {
        lock (_gate)
        {
            return _byCode.GetValueOrDefault(code);
        }
    }

    public SimulatedVoucher? ByProvisionId(string provisionRequestId)
    {
        lock (_gate)
        {
            return _byProvisionId.GetValueOrDefault(provisionRequestId);
        }
    }

    public SimulatedVoucher? BySerialNumber(string serialNumber)
    {
        lock (_gate)
        {
            return _byCode.Values.FirstOrDefault(v => v.SerialNumber == serialNumber);
        }
    }

    /// <summary>Redeems a voucher as Electrum's test server does: only a confirmed, unspent voucher.</summary>
    public (RedemptionVerdict Verdict, SimulatedRedemption? Redemption) Redeem(string requestId, string code)
    {
        lock (_gate)
        {
            if (_redemptions.ContainsKey(requestId))
            {
                return (RedemptionVerdict.Duplicate, null);
            }

            if (_reversedBeforeRequest.Contains(requestId))
            {
                return (RedemptionVerdict.AlreadyReversed, null);
            }

            if (!_byCode.TryGetValue(code, out var voucher))
            {
                return (RedemptionVerdict.UnknownVoucher, null);
            }

            switch (voucher.State)
            {
                case VoucherState.Provisioned or VoucherState.ProvisionReversed:
                    return (RedemptionVerdict.NotRedeemable, null);
                case VoucherState.Redeemed or VoucherState.RedemptionConfirmed:
                    return (RedemptionVerdict.AlreadyRedeemed, null);
            }

            voucher.State = VoucherState.Redeemed;
            var redemption = new SimulatedRedemption
            {
                RequestId = requestId,
                Voucher = voucher,
                Reference = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)),
                State = SimulatedRedemptionState.Redeemed,
            };
            _redemptions.Add(requestId, redemption);
            return (RedemptionVerdict.Accepted, redemption);
        }
    }

    /// <summary>Whether a reversal for this request id arrived before any redemption with it.</summary>
    public bool WasReversedBeforeRequest(string requestId)
    {
        lock (_gate)
        {
            return _reversedBeforeRequest.Contains(requestId);
        }
    }

    public RedemptionVerdict ConfirmRedemption(string requestId)
    {
        lock (_gate)
        {
            if (!_redemptions.TryGetValue(requestId, out var redemption))
            {
                return RedemptionVerdict.UnknownRedemption;
            }

            if (redemption.State == SimulatedRedemptionState.Reversed)
            {
                return RedemptionVerdict.AlreadyReversed;
            }

            redemption.State = SimulatedRedemptionState.Confirmed;
            redemption.Voucher.State = VoucherState.RedemptionConfirmed;
            return RedemptionVerdict.Accepted;
        }
    }

    /// <summary>Reverses a redemption, making the voucher redeemable again; a confirmed one is refused.</summary>
    public RedemptionVerdict ReverseRedemption(string requestId)
    {
        lock (_gate)
        {
            if (!_redemptions.TryGetValue(requestId, out var redemption))
            {
                _reversedBeforeRequest.Add(requestId);
                return RedemptionVerdict.UnknownRedemption;
            }

            if (redemption.State == SimulatedRedemptionState.Confirmed)
            {
                return RedemptionVerdict.AlreadyConfirmed;
            }

            if (redemption.State == SimulatedRedemptionState.Redeemed)
            {
                redemption.State = SimulatedRedemptionState.Reversed;
                redemption.Voucher.State = VoucherState.Confirmed;
            }

            return RedemptionVerdict.Accepted;
        }
    }

    /// <summary>Every redemption the simulator holds, for tests that find one by what it redeemed.</summary>
    public IReadOnlyList<SimulatedRedemption> Redemptions()
    {
        lock (_gate)
        {
            return [.. _redemptions.Values];
        }
    }

    public SimulatedRedemption? Redemption(string requestId)
    {
        lock (_gate)
        {
            return _redemptions.GetValueOrDefault(requestId);
        }
    }

    private string NewCode()
    {
        string code;
        do
        {
            var digits = string.Concat(Enumerable.Range(0, CodeLength - options.VoucherCodePrefix.Length)
                .Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
            code = options.VoucherCodePrefix + digits;
        }
        while (_byCode.ContainsKey(code));

        return code;
    }
}

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

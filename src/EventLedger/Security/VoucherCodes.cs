using System.Security.Cryptography;
using System.Text;

namespace EventLedger.Security;

/// <summary>A voucher code as the ledger may keep it: masked for people, keyed hash for matching.</summary>
public sealed record ProtectedCode(string Masked, string Hash);

/// <summary>
/// Voucher codes are bearer value and the event store never forgets, so nothing the switch stores
/// or logs holds one in the clear: only the last four characters (for codes long enough that four
/// do not give it away) and an HMAC-SHA256 under a key from configuration.
/// </summary>
public sealed class VoucherCodes
{
    /// <summary>Codes shorter than this are masked entirely.</summary>
    public const int MinLengthToRevealTail = 8;

    public const int RevealedTail = 4;

    private readonly byte[] _key;

    public VoucherCodes(byte[] key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("the voucher hash key must be at least 32 bytes", nameof(key));
        }

        _key = key;
    }

    public ProtectedCode Protect(string code) => new(Mask(code), Hash(code));

    public string Hash(string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(code)));

    /// <summary>
    /// The keyed hash of a PIN, kept only so that a provider's text that echoes it is recognised and
    /// masked. Salted with the redemption it belongs to: PINs are short, and one hash per PIN value
    /// for the whole ledger would let anyone who can redeem build a table from PIN to hash.
    /// </summary>
    public string HashPin(string pin, string redemption) => Hash($"pin\n{redemption}\n{pin}");

    /// <summary>A voucher's secrets known only by their keyed hashes: a candidate is a secret when it hashes the same.</summary>
    public Secrets Recognising(string? codeHash, string? pinHash, string redemption) => new([], [],
        codeHash is null ? null : candidate => Same(Hash(candidate), codeHash),
        pinHash is null ? null : candidate => Same(HashPin(candidate, redemption), pinHash));

    private static bool Same(string hash, string expected) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(hash), Encoding.ASCII.GetBytes(expected));

    public static string Mask(string code) => code.Length < MinLengthToRevealTail
        ? new string('*', code.Length)
        : new string('*', code.Length - RevealedTail) + code[^RevealedTail..];
}

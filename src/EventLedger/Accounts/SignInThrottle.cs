using System.Threading.RateLimiting;

namespace EventLedger.Accounts;

/// <summary>
/// Limits failed sign-ins, per account name and per client address, so that guessing passwords
/// costs the guesser time rather than the switch CPU: past the limit an address or account is
/// answered 429 at once, without running the password hash, until its window ends. A till that
/// signed in before the attack keeps working all along: a password already proven is recognised
/// from memory before the throttle is asked (<see cref="AccountDirectory{TAccount}"/>).
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    /// <summary>Failed sign-ins one account name may have per window before it is throttled.</summary>
    public const int FailuresPerAccount = 10;

    /// <summary>Failed sign-ins one client address may have per window before it is throttled.</summary>
    public const int FailuresPerAddress = 50;

    /// <summary>The window; a throttled account or address is served again when it ends.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Longest account name kept as a key: longer ones are cut, so keys stay small whatever is sent.</summary>
    private const int MaxKeyLength = 64;

    private readonly PartitionedRateLimiter<string> _failures = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.StartsWith("address:", StringComparison.Ordinal) ? FailuresPerAddress : FailuresPerAccount,
            Window = Window,
            QueueLimit = 0,
        }));

    /// <summary>Whether sign-ins for this account name, or from this address, are held off now.</summary>
    public bool IsThrottled(string realm, string user, string? address) =>
        Exhausted(AccountKey(realm, user)) || (address is not null && Exhausted(AddressKey(address)));

    /// <summary>Counts a failed sign-in against the account name and the address.</summary>
    public void Failed(string realm, string user, string? address)
    {
        using var account = _failures.AttemptAcquire(AccountKey(realm, user));
        if (address is not null)
        {
            using var byAddress = _failures.AttemptAcquire(AddressKey(address));
        }
    }

    public void Dispose() => _failures.Dispose();

    private bool Exhausted(string key) => _failures.GetStatistics(key)?.CurrentAvailablePermits <= 0;

    private static string AccountKey(string realm, string user) => $"account:{realm}:{(user.Length > MaxKeyLength ? user[..MaxKeyLength] : user)}";

    private static string AddressKey(string address) => "address:" + address;
}

using System.Threading.RateLimiting;

namespace EventLedger.Accounts;

/// <summary>
/// Limits password checks, so that guessing costs the guesser time rather than the switch CPU.
/// Every sign-in that runs the password hash takes a permit from three budgets: the account name
/// from this address, the account name from anywhere, and the address. When one is spent, sign-ins
/// it covers are answered 429 at once, a password proven before included (else a throttled guesser
/// would still learn the right password from a 200), until the window has slid past. A password
/// already proven from an address runs no hash and is held off only by that account-and-address
/// budget: a till signed in is locked out only by guessing from its own address. Limits are per
/// process: each node of a cluster keeps its own.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    /// <summary>Password checks one account name may have from one address per window.</summary>
    public const int PerAccountAndAddress = 10;

    /// <summary>Password checks one account name may have from all addresses together per window.</summary>
    public const int PerAccount = 100;

    /// <summary>Password checks one client address may make per window, whatever the names.</summary>
    public const int PerAddress = 50;

    /// <summary>The sliding window (in six segments); a throttled key is served again as it slides past.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Longest account name kept in a key: longer ones are cut, so keys stay small whatever is sent.</summary>
    private const int MaxNameLength = 64;

    private readonly PartitionedRateLimiter<string> _budgets = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, k => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = k[0] switch { 'p' => PerAccountAndAddress, 'a' => PerAccount, _ => PerAddress },
            Window = Window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

    /// <summary>Whether sign-ins for this account name from this address are held off now (nothing is counted).</summary>
    public bool IsThrottled(string realm, string user, string? address) => Keys(realm, user, address).Any(Spent);

    /// <summary>Whether guessing this account's password from this address has spent that pair's budget.</summary>
    public bool IsThrottledFromAddress(string realm, string user, string? address) => Spent(Keys(realm, user, address)[0]);

    /// <summary>Takes a permit for one password check; false when a budget is spent (answer 429, run no hash).</summary>
    public bool TryCheck(string realm, string user, string? address)
    {
        var granted = true;
        foreach (var key in Keys(realm, user, address))
        {
            using var lease = _budgets.AttemptAcquire(key);
            granted &= lease.IsAcquired;
        }

        return granted;
    }

    public void Dispose() => _budgets.Dispose();

    private bool Spent(string key) => _budgets.GetStatistics(key)?.CurrentAvailablePermits <= 0;

    private static string[] Keys(string realm, string user, string? address)
    {
        var name = user.Length > MaxNameLength ? user[..MaxNameLength] : user;
        var from = address ?? "-";
        return [$"p:{realm}:{name}:{from}", $"a:{realm}:{name}", $"d:{from}"];
    }
}

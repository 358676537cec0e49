using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EventLedger.Hosting;
using EventLedger.Security;

namespace EventLedger.Accounts;

/// <summary>Someone who signs in with HTTP Basic: an originator or an operator.</summary>
public interface IAccount
{
    string Id { get; }

    string Name { get; }

    /// <summary>The output of <c>hash-password</c>; never the password itself.</summary>
    string PasswordHash { get; }
}

/// <summary>Configured accounts of one kind and the check of their Basic credentials.</summary>
public sealed class AccountDirectory<TAccount> where TAccount : class, IAccount
{
    private readonly Dictionary<string, TAccount> _accounts = new(StringComparer.Ordinal);

    // PBKDF2 is deliberately slow; once a password has verified, a keyed digest of it stands in for
    // the next requests so that a till's every call does not pay for it. The key never leaves memory.
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public AccountDirectory(string section, IEnumerable<TAccount> accounts)
    {
        foreach (var account in accounts)
        {
            if (string.IsNullOrWhiteSpace(account.Id) || !PasswordHasher.IsWellFormed(account.PasswordHash))
            {
                throw new StartupException($"{section}: each entry needs an Id and a PasswordHash from 'hash-password' ('{account.Id}').");
            }

            if (!_accounts.TryAdd(account.Id, account))
            {
                throw new StartupException($"{section}: id '{account.Id}' is configured twice.");
            }
        }
    }

    public int Count => _accounts.Count;

    /// <summary>The account these credentials prove, or null.</summary>
    public TAccount? Authenticate(string user, string password)
    {
        if (!_accounts.TryGetValue(user, out var account))
        {
            return null;
        }

        var digest = HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue(user, out var known) && CryptographicOperations.FixedTimeEquals(known, digest))
        {
            return account;
        }

        if (!PasswordHasher.Verify(password, account.PasswordHash))
        {
            return null;
        }

        _verified[user] = digest;
        return account;
    }
}

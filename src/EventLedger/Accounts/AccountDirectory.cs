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

    // What an unknown name is checked against: a hash of a random password with as many iterations
    // as the configured accounts' most costly, made once.
    private readonly Lazy<string> _decoy;

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

        var iterations = _accounts.Values.Select(a => PasswordHasher.Iterations(a.PasswordHash)).DefaultIfEmpty(PasswordHasher.DefaultIterations).Max();
        _decoy = new Lazy<string>(() => PasswordHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), iterations));
    }

    public int Count => _accounts.Count;

    /// <summary>The configured accounts' ids.</summary>
    public IReadOnlyCollection<string> Ids => _accounts.Keys;

    /// <summary>The account configured under this id, without checking any password (a session already proven).</summary>
    public TAccount? Find(string id) => _accounts.GetValueOrDefault(id);

    /// <summary>
    /// The account these credentials prove, or null. An unknown name costs what a known one does: a
    /// password hash is run either way, so names cannot be told apart by how fast they are refused.
    /// </summary>
    public TAccount? Authenticate(string user, string password)
    {
        if (!_accounts.TryGetValue(user, out var account))
        {
            PasswordHasher.Verify(password, _decoy.Value);
            return null;
        }

        return PasswordHasher.Verify(password, account.PasswordHash) ? account : null;
    }

    /// <summary>
    /// The account when this password has been proven for it before from this address (no hash run),
    /// or null. Per address: a guesser elsewhere is never "remembered", so a right guess made while
    /// the account's budgets are spent is answered like a wrong one.
    /// </summary>
    public TAccount? Remembered(string user, string password, string? address) =>
        _verified.TryGetValue(Proven(user, address), out var known) && CryptographicOperations.FixedTimeEquals(known, Digest(password))
            ? _accounts[user]
            : null;

    /// <summary>Checks the password (a hash run) and remembers it for this address when right.</summary>
    public TAccount? Authenticate(string user, string password, string? address)
    {
        var account = Authenticate(user, password);
        if (account is not null)
        {
            _verified[Proven(user, address)] = Digest(password);
        }

        return account;
    }

    private static string Proven(string user, string? address) => $"{user}\n{address}";

    private byte[] Digest(string password) => HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(password));
}

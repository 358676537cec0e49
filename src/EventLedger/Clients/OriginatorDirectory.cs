using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using EventLedger.Hosting;
using EventLedger.Security;

namespace EventLedger.Clients;

/// <summary>The configured originators and the check of their Basic credentials.</summary>
public sealed class OriginatorDirectory
{
    private readonly Dictionary<string, OriginatorClient> _clients;

    // PBKDF2 is deliberately slow; once a password has verified, a keyed digest of it stands in for
    // the next requests so that a till's every call does not pay for it. The key never leaves memory.
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, byte[]> _verified = new(StringComparer.Ordinal);

    public OriginatorDirectory(IEnumerable<OriginatorClient> clients)
    {
        _clients = new Dictionary<string, OriginatorClient>(StringComparer.Ordinal);
        foreach (var client in clients)
        {
            if (string.IsNullOrWhiteSpace(client.Id) || !PasswordHasher.IsWellFormed(client.PasswordHash))
            {
                throw new StartupException($"Clients: each client needs an Id and a PasswordHash from 'hash-password' (client '{client.Id}').");
            }

            if (!_clients.TryAdd(client.Id, client))
            {
                throw new StartupException($"Clients: client id '{client.Id}' is configured twice.");
            }
        }
    }

    public int Count => _clients.Count;

    /// <summary>The client these credentials prove, or null.</summary>
    public OriginatorClient? Authenticate(string user, string password)
    {
        if (!_clients.TryGetValue(user, out var client))
        {
            return null;
        }

        var digest = HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes(password));
        if (_verified.TryGetValue(user, out var known) && CryptographicOperations.FixedTimeEquals(known, digest))
        {
            return client;
        }

        if (!PasswordHasher.Verify(password, client.PasswordHash))
        {
            return null;
        }

        _verified[user] = digest;
        return client;
    }
}

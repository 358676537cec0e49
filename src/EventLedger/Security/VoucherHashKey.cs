using System.Security.Cryptography;
using EventLedger.Hosting;

namespace EventLedger.Security;

/// <summary>Finds the voucher hash key: configured, or kept beside the embedded database.</summary>
public static class VoucherHashKey
{
    public static byte[] Resolve(SwitchOptions options, LedgerDatabase database)
    {
        if (!string.IsNullOrWhiteSpace(options.VoucherHashKey))
        {
            try
            {
                return Convert.FromBase64String(options.VoucherHashKey);
            }
            catch (FormatException)
            {
                throw new StartupException("Switch:VoucherHashKey must be base64 (openssl rand -base64 32).");
            }
        }

        if (!database.IsEmbedded)
        {
            throw new StartupException("Switch:VoucherHashKey is required with an external database (openssl rand -base64 32).");
        }

        // The embedded ledger and its key live and die together, so hashes stay comparable across restarts.
        Directory.CreateDirectory(database.DataDirectory);
        var file = Path.Combine(database.DataDirectory, "voucher-hash.key");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return Convert.FromBase64String(File.ReadAllText(file).Trim());
    }
}

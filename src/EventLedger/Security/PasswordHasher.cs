using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventLedger.Security;

/// <summary>
/// Salted PBKDF2-SHA256 password hashes in the form <c>PBKDF2-SHA256$iterations$salt$hash</c>
/// (base64). Only hashes are ever configured or stored.
/// </summary>
public static class PasswordHasher
{
    public const string Scheme = "PBKDF2-SHA256";
    public const int DefaultIterations = 100_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    public static bool IsWellFormed(string? stored) => Parse(stored) is not null;

    /// <summary>The iterations a well-formed hash was made with.</summary>
    public static int Iterations(string stored) => Parse(stored)?.Iterations ?? DefaultIterations;

    public static bool Verify(string password, string stored)
    {
        if (Parse(stored) is not var (iterations, salt, expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static (int Iterations, byte[] Salt, byte[] Hash)? Parse(string? stored)
    {
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterationText, var saltText, var hashText] ||
            !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 10_000)
        {
            return null;
        }

        try
        {
            return (iterations, Convert.FromBase64String(saltText), Convert.FromBase64String(hashText));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

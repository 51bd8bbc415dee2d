namespace EdgeBroker.Core.Security;

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

/// <summary>
/// PBKDF2-HMAC-SHA512 password hashes in the Mosquitto 2 password-file encoding, so existing
/// <c>mosquitto_passwd</c> files can be reused:
/// <code>
///  $7$&lt;iterations&gt;$&lt;salt, base64&gt;$&lt;64-byte derived key, base64&gt;
/// </code>
/// New hashes use a random 16-byte salt and <see cref="DefaultIterations"/>; verification accepts any
/// iteration count and salt length stored in the hash and compares in constant time.
/// Thread-safety: stateless.
/// </summary>
public static class PasswordHasher
{
    /// <summary>OWASP's 2023 floor for PBKDF2-HMAC-SHA512; about 0.1 s per verification on one core of this class of machine.</summary>
    public const int DefaultIterations = 210_000;

    /// <summary>Hashes below this many iterations are refused when loading, as too cheap to brute-force offline.</summary>
    public const int MinimumIterations = 100;

    private const string Prefix = "$7$";
    private const int SaltBytes = 16;
    private const int KeyBytes = 64;

    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var key = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, KeyBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(key)}");
    }

    /// <summary>Parses an encoded hash; false with a reason for anything but a well-formed <c>$7$</c> hash.</summary>
    public static bool TryParse(string encoded, out PasswordHash hash, out string? error)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        hash = default;
        var parts = encoded.Split('$');

        // "$7$it$salt$key" splits into ["", "7", it, salt, key].
        if (parts.Length != 5 || parts[0].Length != 0 || parts[1] != "7")
        {
            error = "not a PBKDF2-SHA512 hash ($7$<iterations>$<salt>$<hash>); create it with 'edgebroker passwd'";
            return false;
        }

        if (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < MinimumIterations)
        {
            error = $"iteration count must be an integer of at least {MinimumIterations}";
            return false;
        }

        byte[] salt;
        byte[] key;
        try
        {
            salt = Convert.FromBase64String(parts[3]);
            key = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            error = "salt and hash must be base64";
            return false;
        }

        if (salt.Length < 8 || key.Length != KeyBytes)
        {
            error = $"salt must be at least 8 bytes and the hash exactly {KeyBytes} bytes";
            return false;
        }

        hash = new PasswordHash(iterations, salt, key);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="password"/> (UTF-8 bytes) derives the stored key; constant time in the key comparison.</summary>
    public static bool Verify(PasswordHash hash, ReadOnlySpan<byte> password)
    {
        if (hash.Key is null)
        {
            return false;
        }

        Span<byte> derived = stackalloc byte[KeyBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, hash.Salt, derived, hash.Iterations, HashAlgorithmName.SHA512);
        return CryptographicOperations.FixedTimeEquals(derived, hash.Key);
    }
}

namespace EdgeBroker.Core.Security;

/// <summary>A parsed PBKDF2-SHA512 hash (see <see cref="PasswordHasher"/>).</summary>
public readonly record struct PasswordHash(int Iterations, byte[] Salt, byte[] Key);

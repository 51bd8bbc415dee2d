namespace EdgeBroker.Core.Security;

using System.Diagnostics.CodeAnalysis;

/// <summary>
/// What a user name may be: 1–256 characters, no control characters, no <c>:</c> (the password-file
/// separator) and none of <c>+ # /</c>, which would let an ACL pattern's <c>%u</c> widen into other topics.
/// </summary>
public static class UserNames
{
    public const int MaxLength = 256;

    public static bool IsValid([NotNullWhen(true)] string? name, [NotNullWhen(false)] out string? reason)
    {
        if (string.IsNullOrEmpty(name))
        {
            reason = "user name is empty";
            return false;
        }

        if (name.Length > MaxLength)
        {
            reason = $"user name is longer than {MaxLength} characters";
            return false;
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c is ':' or '+' or '#' or '/')
            {
                reason = "user name contains a control character or one of ': + # /'";
                return false;
            }
        }

        reason = null;
        return true;
    }
}

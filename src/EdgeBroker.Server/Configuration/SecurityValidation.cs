namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Core.Security;

/// <summary>
/// Parses the password and ACL files at start, so a malformed line stops the broker with the file, line and
/// reason (exit code 2) instead of silently locking everyone out or letting everyone in. Stateless.
/// </summary>
internal static class SecurityValidation
{
    public static void Validate(SecuritySettings security, List<string> failures)
    {
        IReadOnlyDictionary<string, PasswordHash>? users = null;
        if (security.UsersFile is { } usersFile)
        {
            users = Load(usersFile, "EdgeBroker:Security:UsersFile", UserFile.Load, failures);
        }

        if (security.AclFile is { } aclFile)
        {
            _ = Load(aclFile, "EdgeBroker:Security:AclFile", AclFile.Load, failures);
        }

        if (security.MaxAuthFailuresPerIp < 0 || security.AuthFailureWindowSeconds is < 1 or > 86_400 || security.AuthFailureBanSeconds is < 1 or > 86_400)
        {
            failures.Add($"EdgeBroker:Security:MaxAuthFailuresPerIp must be 0 (off) or more, AuthFailureWindowSeconds and AuthFailureBanSeconds 1..86400 (were {security.MaxAuthFailuresPerIp}, {security.AuthFailureWindowSeconds}, {security.AuthFailureBanSeconds}).");
        }

        foreach (var admin in security.AdminUsers)
        {
            if (security.UsersFile is null)
            {
                failures.Add("EdgeBroker:Security:AdminUsers needs EdgeBroker:Security:UsersFile (admins sign in with a password).");
                break;
            }

            if (users is not null && !users.ContainsKey(admin))
            {
                failures.Add($"EdgeBroker:Security:AdminUsers: '{admin}' is not in the users file.");
            }
        }
    }

    private static T? Load<T>(string path, string key, Func<string, T> load, List<string> failures)
        where T : class
    {
        try
        {
            return load(path);
        }
        catch (FormatException ex)
        {
            failures.Add($"{key} '{path}': {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            failures.Add($"{key} '{path}' cannot be read: {ex.Message}");
        }

        return null;
    }
}

namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker:Security</c> section (RELIABILITY.md "Security defaults", Mosquitto 2 semantics).
/// With nothing configured and every listener on loopback, anonymous clients are allowed; once any listener
/// binds another address, clients must authenticate unless <see cref="AllowAnonymous"/> is set to true.
/// </summary>
public sealed class SecuritySettings
{
    /// <summary>Password file (<c>user:$7$…</c> lines, see <c>EdgeBroker.Server passwd</c>); null = no users.</summary>
    public string? UsersFile { get; set; }

    /// <summary>ACL file; null = no ACL (every authenticated client may do everything). An empty file denies all.</summary>
    public string? AclFile { get; set; }

    /// <summary>null = allowed only while every listener is on loopback; true/false = explicit.</summary>
    public bool? AllowAnonymous { get; set; }

    /// <summary>Users (from <see cref="UsersFile"/>) allowed to use the HTTP API, /metrics and the dashboard when HTTP is not on loopback.</summary>
    public IList<string> AdminUsers { get; } = [];

    /// <summary>Failed password checks one remote IP may cause per window before it is banned; 0 disables it. Loopback is exempt.</summary>
    public int MaxAuthFailuresPerIp { get; set; } = 10;

    public int AuthFailureWindowSeconds { get; set; } = 60;

    public int AuthFailureBanSeconds { get; set; } = 60;
}

namespace EdgeBroker.Server.Hosting;

using System.Net;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Configuration;

/// <summary>
/// Turns <see cref="SecuritySettings"/> into the one <see cref="IBrokerAuthorizer"/> every adapter uses, and
/// decides the anonymous default from where the broker listens (Mosquitto 2: anonymous only on loopback
/// unless configured). Files were already parsed once by the options validator, so errors here are rare races.
/// Thread-safety: stateless.
/// </summary>
internal static class SecurityComposition
{
    public static FileAuthorizer CreateAuthorizer(EdgeBrokerOptions options)
    {
        var security = options.Security;
        var users = security.UsersFile is { } usersFile ? UserFile.Load(usersFile) : null;
        var acl = security.AclFile is { } aclFile ? AclFile.Load(aclFile) : null;
        var failedLogins = security.MaxAuthFailuresPerIp > 0
            ? new FlappingDetector(security.MaxAuthFailuresPerIp, TimeSpan.FromSeconds(security.AuthFailureWindowSeconds), TimeSpan.FromSeconds(security.AuthFailureBanSeconds))
            : FlappingDetector.Disabled;
        return new FileAuthorizer(new SecurityPolicy(users, acl, AllowsAnonymous(options), options.Tls.UseCertificateAsUserName), failedLogins);
    }

    public static bool AllowsAnonymous(EdgeBrokerOptions options) => options.Security.AllowAnonymous ?? ListensOnlyOnLoopback(options);

    /// <summary>Every configured listener's bind address; adapters add theirs here.</summary>
    public static IEnumerable<string> BindAddresses(EdgeBrokerOptions options)
    {
        yield return options.Http.BindAddress;
        if (options.Mqtt.Port != 0)
        {
            yield return options.Mqtt.BindAddress;
        }

        if (options.Stomp.Port != 0)
        {
            yield return options.Stomp.BindAddress;
        }

        // TLS listeners count exactly like plain ones: encryption does not make a reachable listener private.
        if (options.Mqtt.EffectiveTlsPort(options.Tls) != 0)
        {
            yield return options.Mqtt.TlsBindAddress ?? options.Mqtt.BindAddress;
        }

        if (options.Stomp.EffectiveTlsPort(options.Tls) != 0)
        {
            yield return options.Stomp.TlsBindAddress ?? options.Stomp.BindAddress;
        }
    }

    public static bool ListensOnlyOnLoopback(EdgeBrokerOptions options) => BindAddresses(options).All(IsLoopback);

    public static bool IsLoopback(string address) =>
        string.Equals(address, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The HTTP API, /metrics and the dashboard need an admin login when HTTP is reachable from other hosts.</summary>
    public static bool HttpRequiresAdmin(EdgeBrokerOptions options) => !IsLoopback(options.Http.BindAddress);
}

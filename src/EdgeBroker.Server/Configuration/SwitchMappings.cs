namespace EdgeBroker.Server.Configuration;

/// <summary>Friendly command-line switches mapped onto configuration keys (<c>--data-dir ./x</c>).</summary>
public static class SwitchMappings
{
    public static IReadOnlyDictionary<string, string> Map { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--data-dir"] = "EdgeBroker:DataDirectory",
        ["--http-port"] = "EdgeBroker:Http:Port",
        ["--http-bind"] = "EdgeBroker:Http:BindAddress",
        ["--fsync"] = "EdgeBroker:Storage:Fsync",
        ["--log-file"] = "EdgeBroker:Logging:File",
        ["--users-file"] = "EdgeBroker:Security:UsersFile",
        ["--acl-file"] = "EdgeBroker:Security:AclFile",
        ["--allow-anonymous"] = "EdgeBroker:Security:AllowAnonymous",
        ["--stomp-port"] = "EdgeBroker:Stomp:Port",
        ["--mqtt-port"] = "EdgeBroker:Mqtt:Port",
        ["--mqtt-bind"] = "EdgeBroker:Mqtt:BindAddress",
        ["--tls-cert"] = "EdgeBroker:Tls:CertificateFile",
        ["--tls-key"] = "EdgeBroker:Tls:KeyFile",
        ["--mqtt-tls-port"] = "EdgeBroker:Mqtt:TlsPort",
        ["--stomp-tls-port"] = "EdgeBroker:Stomp:TlsPort",
        ["--https-port"] = "EdgeBroker:Http:HttpsPort",
    };
}

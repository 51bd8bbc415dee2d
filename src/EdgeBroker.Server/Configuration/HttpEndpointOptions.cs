namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker:Http</c> section. Loopback only by default (RELIABILITY.md security defaults,
/// Mosquitto 2 style): the HTTP API and /metrics are unauthenticated, so exposing them is an explicit choice.
/// </summary>
public sealed class HttpEndpointOptions
{
    public int Port { get; set; } = 8080;

    /// <summary>An IP address (<c>127.0.0.1</c>, <c>::1</c>, <c>0.0.0.0</c>, <c>::</c>) or <c>localhost</c>.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>HTTPS (and so WSS for /mqtt, /stomp and the hub) on <see cref="BindAddress"/>; null = 8443 once <c>EdgeBroker:Tls:CertificateFile</c> is set, 0 disables it.</summary>
    public int? HttpsPort { get; set; }

    /// <summary>The HTTPS port that opens: 0 without a server certificate.</summary>
    public int EffectiveHttpsPort(TlsSettings tls) => tls?.Enabled == true ? HttpsPort ?? 8443 : 0;
}

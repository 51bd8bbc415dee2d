namespace EdgeBroker.Server.Configuration;

/// <summary>Whether TLS listeners ask clients for a certificate (<c>EdgeBroker:Tls:ClientCertificates</c>).</summary>
public enum ClientCertificatePolicy
{
    /// <summary>No certificate is requested.</summary>
    None = 0,

    /// <summary>A certificate is requested; clients without one still connect, a presented one must validate.</summary>
    Allow = 1,

    /// <summary>The TLS handshake fails without a valid client certificate.</summary>
    Require = 2,
}

namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker:Tls</c> section: one server certificate shared by every TLS listener (MQTT
/// <c>Mqtt:TlsPort</c>, STOMP <c>Stomp:TlsPort</c>, HTTPS/WSS <c>Http:HttpsPort</c>). With no
/// <see cref="CertificateFile"/> no TLS listener opens. Files are loaded and checked at start
/// (<see cref="Validate"/>), so a missing file or a wrong password stops the broker with the key that is wrong.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>A PEM certificate (with <see cref="KeyFile"/>, or with the key in the same file) or a PFX/PKCS#12 file.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM private key (PKCS#8, PKCS#1 or SEC1; encrypted PKCS#8 with <see cref="Password"/>). Null = in the certificate file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The PFX password, or the password of an encrypted PEM key.</summary>
    public string? Password { get; set; }

    /// <summary>Ask clients for a certificate: None (default), Allow or Require.</summary>
    public ClientCertificatePolicy ClientCertificates { get; set; } = ClientCertificatePolicy.None;

    /// <summary>PEM file of the CA certificate(s) client certificates must chain to. Null = the system trust store.</summary>
    public string? ClientCaFile { get; set; }

    /// <summary>
    /// Use a verified client certificate's subject common name as the user name (Mosquitto's
    /// <c>use_identity_as_username</c>): no password is checked for such a client, and ACL rules apply to that name.
    /// </summary>
    public bool UseCertificateAsUserName { get; set; }

    /// <summary>Check client certificates against the CA's revocation lists (online). Off by default: edge CAs are often offline.</summary>
    public bool CheckCertificateRevocation { get; set; }

    /// <summary>
    /// PEM or DER certificate revocation list(s) signed by a CA of <see cref="ClientCaFile"/> (Mosquitto's
    /// <c>crlfile</c>): a client certificate listed there is refused in the handshake. Read at start.
    /// </summary>
    public string? CrlFile { get; set; }

    /// <summary>True when a server certificate is configured, so TLS listeners may open.</summary>
    public bool Enabled => !string.IsNullOrEmpty(CertificateFile);

    /// <summary>Adds one failure per bad key; loads the files to prove they are usable.</summary>
    public static void Validate(EdgeBrokerOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        var tls = options.Tls;
        CheckPort(options.Mqtt.TlsPort, "EdgeBroker:Mqtt:TlsPort", tls, failures);
        CheckPort(options.Stomp.TlsPort, "EdgeBroker:Stomp:TlsPort", tls, failures);
        CheckPort(options.Http.HttpsPort, "EdgeBroker:Http:HttpsPort", tls, failures);
        if (!Enum.IsDefined(tls.ClientCertificates))
        {
            failures.Add("EdgeBroker:Tls:ClientCertificates must be None, Allow or Require.");
        }

        if (!tls.Enabled)
        {
            if (tls.ClientCertificates != ClientCertificatePolicy.None || tls.ClientCaFile is not null || tls.UseCertificateAsUserName || tls.CrlFile is not null)
            {
                failures.Add("EdgeBroker:Tls:ClientCertificates, ClientCaFile, CrlFile and UseCertificateAsUserName need EdgeBroker:Tls:CertificateFile (a TLS listener).");
            }

            return;
        }

        if (tls.UseCertificateAsUserName && tls.ClientCertificates == ClientCertificatePolicy.None)
        {
            failures.Add("EdgeBroker:Tls:UseCertificateAsUserName needs EdgeBroker:Tls:ClientCertificates Allow or Require.");
        }

        try
        {
            using var certificate = TlsCertificateLoader.LoadServerCertificate(tls);
        }
        catch (TlsConfigurationException ex)
        {
            failures.Add(ex.Message);
        }

        if (tls.CrlFile is not null && tls.ClientCaFile is null)
        {
            failures.Add("EdgeBroker:Tls:CrlFile needs EdgeBroker:Tls:ClientCaFile: a CRL is only trusted when a configured CA signed it.");
        }

        if (tls.ClientCaFile is not null)
        {
            try
            {
                var cas = TlsCertificateLoader.LoadCaCertificates(tls.ClientCaFile);
                try
                {
                    if (tls.CrlFile is not null)
                    {
                        RevocationList.Load(tls.CrlFile, cas);
                    }
                }
                finally
                {
                    cas.DisposeAll();
                }
            }
            catch (TlsConfigurationException ex)
            {
                failures.Add(ex.Message);
            }
        }
    }

    private static void CheckPort(int? port, string key, TlsSettings tls, List<string> failures)
    {
        if (port is < 0 or > 65535)
        {
            failures.Add($"{key} must be between 0 (disabled) and 65535 (was {port}).");
        }
        else if (port is > 0 && !tls.Enabled)
        {
            failures.Add($"{key} is set but EdgeBroker:Tls:CertificateFile is not: a TLS listener needs a server certificate.");
        }
    }
}

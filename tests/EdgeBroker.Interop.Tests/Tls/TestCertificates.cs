namespace EdgeBroker.Interop.Tests.Tls;

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

/// <summary>
/// A throwaway PKI written as PEM files to a temp directory: a CA, a server certificate for 127.0.0.1/localhost
/// signed by it, and client certificates (CN = a user name, extended key usage client authentication).
/// ECDSA P-256 keeps generation fast. Deleted on dispose. Not thread-safe; one instance per fixture.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "eb-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EdgeBroker Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        _ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
        CaFile = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());

        (ServerCertificateFile, ServerKeyFile) = Issue("server", "CN=localhost", server: true);
    }

    public string Directory { get; }

    public string CaFile { get; }

    public string ServerCertificateFile { get; }

    public string ServerKeyFile { get; }

    /// <summary>A client certificate whose subject CN is <paramref name="commonName"/>; returns the PEM cert and key paths.</summary>
    public (string CertificateFile, string KeyFile) IssueClient(string commonName) => Issue("client-" + commonName, "CN=" + commonName, server: false);

    /// <summary>A client certificate of this CA that expired yesterday.</summary>
    public (string CertificateFile, string KeyFile) IssueExpiredClient(string commonName) =>
        Issue("expired-" + commonName, "CN=" + commonName, server: false, notAfter: DateTimeOffset.UtcNow.AddDays(-1));

    /// <summary>A PEM CRL signed by this CA that revokes the given certificate files; returns its path.</summary>
    public string WriteCrl(params string[] revokedCertificateFiles)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var file in revokedCertificateFiles)
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(file));
            builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        var der = builder.Build(_ca, System.Numerics.BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
        var path = Path.Combine(Directory, "revoked.crl.pem");
        File.WriteAllText(path, new string(PemEncoding.Write("X509 CRL", der)));
        return path;
    }

    /// <summary>The server certificate and key as a password-protected PFX file.</summary>
    public string ExportServerPfx(string password)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(ServerCertificateFile, ServerKeyFile);
        var path = Path.Combine(Directory, "server.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    /// <summary>The CA as a trust anchor for .NET clients (HttpClient, ClientWebSocket).</summary>
    public bool ValidateServer(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public X509Certificate2 LoadClient(string commonName)
    {
        var (cert, key) = IssueClient(commonName);
        return X509Certificate2.CreateFromPemFile(cert, key);
    }

    public void Dispose()
    {
        _ca.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Never fail a test on temp cleanup.
        }
    }

    private (string CertificateFile, string KeyFile) Issue(string fileName, string subject, bool server, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var certificate = request.Create(_ca, DateTimeOffset.UtcNow.AddDays(-10), notAfter ?? DateTimeOffset.UtcNow.AddDays(7), serial);
        var certificateFile = Path.Combine(Directory, fileName + ".pem");
        var keyFile = Path.Combine(Directory, fileName + ".key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certificateFile, keyFile);
    }
}

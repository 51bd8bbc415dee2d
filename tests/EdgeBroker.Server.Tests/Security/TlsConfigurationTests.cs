namespace EdgeBroker.Server.Tests.Security;

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using Microsoft.Extensions.Options;

/// <summary>The <c>EdgeBroker:Tls</c> section: checked at start, and TLS listeners counted for the anonymous default.</summary>
[Trait("Category", "Unit")]
public sealed class TlsConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-tls-").FullName;

    public void Dispose() => TestBrokerHost.TryDelete(_dir);

    private static ValidateOptionsResult Validate(EdgeBrokerOptions options) => new EdgeBrokerOptionsValidator().Validate(null, options);

    private (string Certificate, string Key) WritePem(DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256).CreateSelfSigned(notAfter.AddDays(-30), notAfter);
        var certificatePath = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".pem");
        var keyPath = Path.ChangeExtension(certificatePath, ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    [Fact]
    public void AValidPemPairPasses()
    {
        var (certificate, key) = WritePem(DateTimeOffset.UtcNow.AddDays(10));

        Assert.True(Validate(new EdgeBrokerOptions { Tls = { CertificateFile = certificate, KeyFile = key } }).Succeeded);
    }

    [Fact]
    public void APfxLoadsWithItsPasswordAndAWrongPasswordIsReported()
    {
        var (certificate, key) = WritePem(DateTimeOffset.UtcNow.AddDays(10));
        using var loaded = X509Certificate2.CreateFromPemFile(certificate, key);
        var pfx = Path.Combine(_dir, "server.pfx");
        File.WriteAllBytes(pfx, loaded.Export(X509ContentType.Pfx, "s3cret"));

        Assert.True(Validate(new EdgeBrokerOptions { Tls = { CertificateFile = pfx, Password = "s3cret" } }).Succeeded);
        Assert.Contains(
            Validate(new EdgeBrokerOptions { Tls = { CertificateFile = pfx, Password = "wrong" } }).Failures!,
            f => f.Contains("EdgeBroker:Tls:Password", StringComparison.Ordinal));
    }

    [Fact]
    public void ATlsPortWithoutACertificateIsReported()
    {
        var result = Validate(new EdgeBrokerOptions { Mqtt = { TlsPort = 8883 } });

        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Mqtt:TlsPort is set but EdgeBroker:Tls:CertificateFile is not", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingExpiredOrKeylessCertificatesAreReported()
    {
        var (expired, expiredKey) = WritePem(DateTimeOffset.UtcNow.AddDays(-1));
        var (keyless, _) = WritePem(DateTimeOffset.UtcNow.AddDays(10));

        Assert.Contains(Validate(new EdgeBrokerOptions { Tls = { CertificateFile = Path.Combine(_dir, "nope.pem") } }).Failures!, f => f.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(Validate(new EdgeBrokerOptions { Tls = { CertificateFile = expired, KeyFile = expiredKey } }).Failures!, f => f.Contains("expired", StringComparison.Ordinal));
        Assert.Contains(Validate(new EdgeBrokerOptions { Tls = { CertificateFile = keyless } }).Failures!, f => f.StartsWith("EdgeBroker:Tls:CertificateFile", StringComparison.Ordinal));
    }

    [Fact]
    public void CertificateAsUserNameNeedsClientCertificates()
    {
        var (certificate, key) = WritePem(DateTimeOffset.UtcNow.AddDays(10));

        var result = Validate(new EdgeBrokerOptions { Tls = { CertificateFile = certificate, KeyFile = key, UseCertificateAsUserName = true } });

        Assert.Contains(result.Failures!, f => f.Contains("UseCertificateAsUserName needs", StringComparison.Ordinal));
    }

    [Fact]
    public void ATlsListenerBeyondLoopbackEndsTheAnonymousDefault()
    {
        var options = new EdgeBrokerOptions { Tls = { CertificateFile = "server.pem" }, Mqtt = { TlsBindAddress = "0.0.0.0" } };
        Assert.False(SecurityComposition.AllowsAnonymous(options));

        options.Mqtt.TlsPort = 0;
        Assert.True(SecurityComposition.AllowsAnonymous(options));

        options.Stomp.TlsBindAddress = "::";
        Assert.False(SecurityComposition.AllowsAnonymous(options));
    }

    [Fact]
    public void TlsPortsOpenOnlyWithACertificate()
    {
        var options = new EdgeBrokerOptions();
        Assert.Equal(0, options.Mqtt.EffectiveTlsPort(options.Tls));
        Assert.Equal(0, options.Http.EffectiveHttpsPort(options.Tls));

        options.Tls.CertificateFile = "server.pem";
        Assert.Equal(8883, options.Mqtt.EffectiveTlsPort(options.Tls));
        Assert.Equal(61614, options.Stomp.EffectiveTlsPort(options.Tls));
        Assert.Equal(8443, options.Http.EffectiveHttpsPort(options.Tls));
    }
}

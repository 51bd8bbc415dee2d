namespace EdgeBroker.Server.Tests.Security;

using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeBroker.Server.Configuration;
using Microsoft.Extensions.Options;

/// <summary><c>Tls:CrlFile</c>: CRLs built with .NET's own CRL builder, read back by <see cref="RevocationList"/>.</summary>
[Trait("Category", "Unit")]
public sealed class RevocationListTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eb-crl-").FullName;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public RevocationListTests() => _ca = Ca("CN=Edge CA", _caKey);

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        TestBrokerHost.TryDelete(_dir);
    }

    private static X509Certificate2 Ca(string name, ECDsa key)
    {
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private X509Certificate2 Client(string name, byte[] serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256).Create(_ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
    }

    private string WriteCrl(X509Certificate2 issuer, bool pem, params X509Certificate2[] revoked)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var certificate in revoked)
        {
            builder.AddEntry(certificate, DateTimeOffset.UtcNow.AddMinutes(-5));
        }

        var der = builder.Build(issuer, BigInteger.One, DateTimeOffset.UtcNow.AddDays(7), HashAlgorithmName.SHA256);
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + (pem ? ".pem" : ".der"));
        if (pem)
        {
            File.WriteAllText(path, new string(PemEncoding.Write("X509 CRL", der)));
        }
        else
        {
            File.WriteAllBytes(path, der);
        }

        return path;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ACertificateListedInTheCrlIsRevokedAndOthersAreNot(bool pem)
    {
        using var revoked = Client("stolen", [0x80, 0x01, 0x02]); // high bit set: DER adds a sign byte
        using var good = Client("device1", [0x12, 0x34]);
        var path = WriteCrl(_ca, pem, revoked);

        var list = RevocationList.Load(path, [_ca]);

        Assert.Equal(1, list.Count);
        Assert.True(list.IsRevoked(revoked));
        Assert.False(list.IsRevoked(good));
    }

    [Fact]
    public void ACrlSignedByAnotherCaIsRefused()
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostor = Ca("CN=Edge CA", otherKey); // same name, different key
        using var victim = Client("device1", [0x42]);
        var path = WriteCrl(impostor, pem: true, victim);

        var ex = Assert.Throws<TlsConfigurationException>(() => RevocationList.Load(path, [_ca]));
        Assert.Contains("signature does not verify", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithoutACrlAndAMissingCaFileAreReportedByTheValidator()
    {
        var notACrl = Path.Combine(_dir, "empty.pem");
        File.WriteAllText(notACrl, _ca.ExportCertificatePem());
        Assert.Throws<TlsConfigurationException>(() => RevocationList.Load(notACrl, [_ca]));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
        var certificate = Path.Combine(_dir, "server.pem");
        var key = Path.Combine(_dir, "server.key");
        File.WriteAllText(certificate, server.ExportCertificatePem());
        File.WriteAllText(key, serverKey.ExportPkcs8PrivateKeyPem());
        var options = new EdgeBrokerOptions { Tls = { CertificateFile = certificate, KeyFile = key, ClientCertificates = ClientCertificatePolicy.Require, CrlFile = WriteCrl(_ca, pem: true) } };

        var result = new EdgeBrokerOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("EdgeBroker:Tls:CrlFile needs EdgeBroker:Tls:ClientCaFile", StringComparison.Ordinal));
    }
}

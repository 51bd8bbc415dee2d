namespace EdgeBroker.Interop.Tests.Tls;

using System.Globalization;

/// <summary>
/// TLS configuration at start: clear failures (exit code 2, the key named) for a missing file or a wrong PFX password.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TlsStartupTests
{
    [Fact]
    public async Task WrongPfxPasswordStopsTheStartNamingTheKey()
    {
        using var certificates = new TestCertificates();
        var pfx = certificates.ExportServerPfx("right");
        await using var broker = new BrokerProcess();
        var exit = await broker.RunToExitAsync(Args(broker, "--EdgeBroker:Tls:CertificateFile=" + pfx, "--EdgeBroker:Tls:Password=wrong"), TimeSpan.FromSeconds(60));
        Assert.Equal(2, exit);
        Assert.Contains("EdgeBroker:Tls:CertificateFile", broker.ReadLog(), StringComparison.Ordinal);
        Assert.Contains("EdgeBroker:Tls:Password", broker.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCertificateFileStopsTheStart()
    {
        await using var broker = new BrokerProcess();
        var missing = Path.Combine(Path.GetTempPath(), "eb-missing-" + Guid.NewGuid().ToString("N") + ".pem");
        var exit = await broker.RunToExitAsync(Args(broker, "--EdgeBroker:Tls:CertificateFile=" + missing), TimeSpan.FromSeconds(60));
        Assert.Equal(2, exit);
        Assert.Contains($"EdgeBroker:Tls:CertificateFile '{missing}' does not exist", broker.ReadLog(), StringComparison.Ordinal);
    }

    private static string[] Args(BrokerProcess broker, params string[] extra) =>
    [
        "--EdgeBroker:DataDirectory=" + broker.DataDirectory,
        "--EdgeBroker:Http:Port=" + BrokerProcess.FindFreePort().ToString(CultureInfo.InvariantCulture),
        "--EdgeBroker:Stomp:Port=0",
        .. extra,
    ];
}

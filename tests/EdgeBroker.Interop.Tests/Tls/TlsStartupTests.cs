namespace EdgeBroker.Interop.Tests.Tls;

using System.Globalization;
using System.Net;

/// <summary>
/// TLS configuration at start: a PFX with its password, required client certificates, and clear failures (exit
/// code 2, the key named) for a missing file or a wrong password.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TlsStartupTests
{
    [Fact]
    public async Task PfxCertificateWithRequiredClientCertificates()
    {
        using var certificates = new TestCertificates();
        var pfx = certificates.ExportServerPfx("s3cret");
        var httpsPort = BrokerProcess.FindFreePort();
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Tls:CertificateFile=" + pfx,
            "--EdgeBroker:Tls:Password=s3cret",
            "--EdgeBroker:Tls:ClientCertificates=Require",
            "--EdgeBroker:Tls:ClientCaFile=" + certificates.CaFile,
            "--EdgeBroker:Mqtt:TlsPort=0",
            "--EdgeBroker:Stomp:TlsPort=0",
            "--EdgeBroker:Http:HttpsPort=" + httpsPort.ToString(CultureInfo.InvariantCulture),
        ]);
        await broker.StartAsync();
        var url = new Uri($"https://127.0.0.1:{httpsPort}/healthz");

        using var client = certificates.LoadClient("ops");
        using (var withCertificate = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => certificates.ValidateServer(c) })
        {
            withCertificate.ClientCertificates.Add(client);
            using var http = new HttpClient(withCertificate);
            using var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var without = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => certificates.ValidateServer(c) })
        {
            using var http = new HttpClient(without);
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url));
        }

        Assert.Contains("TLS listener", broker.ReadLog(), StringComparison.Ordinal);
    }

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

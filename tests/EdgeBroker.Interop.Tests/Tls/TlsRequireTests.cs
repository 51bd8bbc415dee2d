namespace EdgeBroker.Interop.Tests.Tls;

using System.Globalization;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// <c>Tls:ClientCertificates=Require</c> with <c>Tls:CrlFile</c> against the real broker process with mosquitto
/// clients: a TLS client without a certificate, or with one the CA revoked, is refused in the handshake; one with a
/// valid certificate from the configured CA is served.
/// Only the MQTT TLS listener opens (HTTPS and STOMP TLS are set to 0), so nothing else competes for ports.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TlsRequireTests
{
    [Fact]
    public async Task ACertificateIsRequiredAndARevokedOneIsRefused()
    {
        using var certificates = new TestCertificates();
        var tlsPort = BrokerProcess.FindFreePort().ToString(CultureInfo.InvariantCulture);
        var (stolenCert, stolenKey) = certificates.IssueClient("stolen");
        var crl = certificates.WriteCrl(stolenCert);
        await using var broker = new BrokerProcess(
        [
            "--EdgeBroker:Mqtt:SysIntervalSeconds=0",
            "--EdgeBroker:Tls:CertificateFile=" + certificates.ServerCertificateFile,
            "--EdgeBroker:Tls:KeyFile=" + certificates.ServerKeyFile,
            "--EdgeBroker:Tls:ClientCertificates=Require",
            "--EdgeBroker:Tls:ClientCaFile=" + certificates.CaFile,
            "--EdgeBroker:Tls:CrlFile=" + crl,
            "--EdgeBroker:Mqtt:TlsPort=" + tlsPort,
            "--EdgeBroker:Stomp:TlsPort=0",
            "--EdgeBroker:Http:HttpsPort=0",
        ]);
        await broker.StartAsync();
        string[] common = ["-V", "5", "-h", "127.0.0.1", "-p", tlsPort, "--cafile", certificates.CaFile, "-q", "1", "-t", "public/require", "-m", "x"];

        await using (var anonymous = ExternalProcess.Start("mosquitto_pub", common))
        {
            Assert.NotEqual(0, await anonymous.WaitForExitAsync(15_000));
        }

        await using (var revoked = ExternalProcess.Start("mosquitto_pub", [.. common, "--cert", stolenCert, "--key", stolenKey]))
        {
            Assert.NotEqual(0, await revoked.WaitForExitAsync(15_000));
        }

        var (cert, key) = certificates.IssueClient("device1");
        await ExternalProcess.RunAsync("mosquitto_pub", [.. common, "--cert", cert, "--key", key]);
        // The broker process writes its log asynchronously.
        await Poll.UntilAsync(() => broker.ReadLog().Contains("CN=stolen refused: Revoked", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the revoked certificate was not logged:\n" + broker.ReadLog());
        Assert.Empty(broker.ErrorLines());
    }
}

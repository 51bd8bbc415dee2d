namespace EdgeBroker.Interop.Tests.Tls;

using System.Globalization;

/// <summary>
/// One broker with every TLS listener (MQTT, STOMP, HTTPS) on free ports, client certificates allowed and
/// verified against the test CA, the certificate CN used as the user name, and an ACL that proves it:
/// anonymous clients may use <c>public/#</c>, each user only <c>devices/&lt;user&gt;/#</c>.
/// </summary>
public sealed class TlsBrokerFixture : IAsyncLifetime
{
    public TlsBrokerFixture()
    {
        Certificates = new TestCertificates();
        var acl = Path.Combine(Certificates.Directory, "acl.conf");
        File.WriteAllText(acl, "topic readwrite public/#\npattern readwrite devices/%u/#\n");
        MqttTlsPort = BrokerProcess.FindFreePort();
        StompTlsPort = BrokerProcess.FindFreePort();
        HttpsPort = BrokerProcess.FindFreePort();
        Broker = new BrokerProcess(
        [
            "--EdgeBroker:Mqtt:SysIntervalSeconds=0",
            "--EdgeBroker:Tls:CertificateFile=" + Certificates.ServerCertificateFile,
            "--EdgeBroker:Tls:KeyFile=" + Certificates.ServerKeyFile,
            "--EdgeBroker:Tls:ClientCertificates=Allow",
            "--EdgeBroker:Tls:ClientCaFile=" + Certificates.CaFile,
            "--EdgeBroker:Tls:UseCertificateAsUserName=true",
            "--EdgeBroker:Security:AclFile=" + acl,
            "--EdgeBroker:Mqtt:TlsPort=" + MqttTlsPort.ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Stomp:TlsPort=" + StompTlsPort.ToString(CultureInfo.InvariantCulture),
            "--EdgeBroker:Http:HttpsPort=" + HttpsPort.ToString(CultureInfo.InvariantCulture),
        ]);
    }

    public TestCertificates Certificates { get; }

    public BrokerProcess Broker { get; }

    public int MqttTlsPort { get; }

    public int StompTlsPort { get; }

    public int HttpsPort { get; }

    public Task InitializeAsync() => Broker.StartAsync();

    public async Task DisposeAsync()
    {
        await Broker.DisposeAsync();
        Certificates.Dispose();
    }
}

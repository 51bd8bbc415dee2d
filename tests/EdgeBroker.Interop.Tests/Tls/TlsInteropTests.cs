namespace EdgeBroker.Interop.Tests.Tls;

using System.Globalization;
using System.Net;
using System.Text.Json;
using EdgeBroker.Interop.Tests.Mqtt;
using EdgeBroker.Interop.Tests.Stomp;

/// <summary>
/// Real third-party clients over TLS against the real broker process: mosquitto_pub/sub (3.1.1 and 5) with
/// <c>--cafile</c>, a client certificate whose CN becomes the user name (proved by an ACL that only lets that user
/// use <c>devices/&lt;user&gt;/#</c>), stomp.py with <c>set_ssl</c>, MQTT.js over WSS and HTTPS <c>/healthz</c>.
/// </summary>
[Trait("Category", "Interop")]
public sealed class TlsInteropTests(TlsBrokerFixture fixture) : IClassFixture<TlsBrokerFixture>
{
    private string MqttPort => fixture.MqttTlsPort.ToString(CultureInfo.InvariantCulture);

    private string CaFile => fixture.Certificates.CaFile;

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("5")]
    public async Task MosquittoClientsPublishAndSubscribeOverTls(string version)
    {
        var topic = "public/tls/" + version;
        await using var sub = await SubscribeAsync(version, topic, []);
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", version, "-h", "127.0.0.1", "-p", MqttPort, "--cafile", CaFile, "-q", "1", "-t", topic, "-m", "encrypted"]);
        Assert.Equal(0, await sub.WaitForExitAsync(15_000));
        Assert.Contains($"MSG|{topic}|encrypted", sub.Lines);
    }

    [Fact]
    public async Task ClientCertificateCommonNameIsTheUserName()
    {
        var (cert, key) = fixture.Certificates.IssueClient("device1");
        var topic = "devices/device1/temp";

        // Only user device1 may use devices/device1/#: receiving here proves the CN became the user name, and the
        // CONNECT user name "intruder" given alongside the certificate is ignored.
        await using var sub = await SubscribeAsync("5", topic, ["--cert", cert, "--key", key]);
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-h", "127.0.0.1", "-p", MqttPort, "--cafile", CaFile, "--cert", cert, "--key", key, "-u", "intruder", "-q", "1", "-t", topic, "-m", "21.5"]);
        Assert.Equal(0, await sub.WaitForExitAsync(15_000));
        Assert.Contains($"MSG|{topic}|21.5", sub.Lines);

        // Without the certificate the same subscription is denied: SUBACK reason 0x87 (135).
        await using var anonymous = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", "5", "-h", "127.0.0.1", "-p", MqttPort, "--cafile", CaFile, "-q", "1", "-t", topic, "-d", "-W", "10"]);
        await anonymous.WaitForLineAsync("Subscribed (mid: 1): 135");
    }

    [Fact]
    public async Task ClientCertificatesFromAnotherCaOrExpiredAreRefused()
    {
        using var otherCa = new TestCertificates();
        var (foreignCert, foreignKey) = otherCa.IssueClient("device1");
        var (expiredCert, expiredKey) = fixture.Certificates.IssueExpiredClient("device1");

        foreach (var (cert, key) in new[] { (foreignCert, foreignKey), (expiredCert, expiredKey) })
        {
            await using var pub = ExternalProcess.Start("mosquitto_pub", ["-V", "5", "-h", "127.0.0.1", "-p", MqttPort, "--cafile", CaFile, "--cert", cert, "--key", key, "-q", "1", "-t", "public/refused", "-m", "x"]);
            Assert.NotEqual(0, await pub.WaitForExitAsync(15_000));
        }

        // Either client would be accepted anonymously on public/# without its certificate, so the failed exits prove
        // the certificates were refused. The expired one reaches the broker's chain check and is logged (7003); the
        // foreign one may already fail in the handshake, depending on the client's TLS stack.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (CountRefusals() < 1 && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50); // poll interval: the log line is written by the broker process
        }

        Assert.True(CountRefusals() >= 1, fixture.Broker.ReadLog());

        int CountRefusals() => fixture.Broker.ReadLog().Split('\n').Count(l => l.Contains("TLS client certificate CN=device1 refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StompPySendsAndReceivesOverTls()
    {
        await using var client = ExternalClient.StartPython("tls_roundtrip.py", "127.0.0.1", fixture.StompTlsPort.ToString(CultureInfo.InvariantCulture), CaFile, "/topic/public/stomp-tls");
        var result = await client.ResultAsync();
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());
        Assert.Equal("over-tls", result.GetProperty("messages")[0].GetProperty("body").GetString());
    }

    [Fact]
    public async Task StompPyClientCertificateIsTheUserName()
    {
        var (cert, key) = fixture.Certificates.IssueClient("sensor7");
        await using var client = ExternalClient.StartPython("tls_roundtrip.py", "127.0.0.1", fixture.StompTlsPort.ToString(CultureInfo.InvariantCulture), CaFile, "/topic/devices/sensor7/status", cert, key);
        var result = await client.ResultAsync();
        Assert.Equal(0, result.GetProperty("errors").GetArrayLength());
        Assert.Equal("over-tls", result.GetProperty("messages")[0].GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("4")]
    [InlineData("5")]
    public async Task MqttJsOverWss(string version)
    {
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "node", "mqtt", "pubsub.js");
        var url = $"wss://localhost:{fixture.HttpsPort}/mqtt";
        var lines = await ExternalProcess.RunAsync("node", [script, url, version, "3", "public/wss/" + version, CaFile]);
        using var result = JsonDocument.Parse(lines.Single(l => l.StartsWith('{')));
        var payloads = result.RootElement.GetProperty("received").EnumerateArray().Select(m => m.GetProperty("payload").GetString()).ToList();
        Assert.Equal(["m1", "m2", "m3"], payloads);
    }

    [Fact]
    public async Task HealthzAnswersOverHttps()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, certificate, _, _) => fixture.Certificates.ValidateServer(certificate) };
        using var http = new HttpClient(handler);
        using var response = await http.GetAsync(new Uri($"https://127.0.0.1:{fixture.HttpsPort}/healthz"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(fixture.Broker.ErrorLines());
    }

    private async Task<ExternalProcess> SubscribeAsync(string version, string topic, string[] extra)
    {
        // stdbuf: the SUBACK debug line must arrive while mosquitto_sub runs (see MosquittoClientTests).
        List<string> args = ["-oL", "mosquitto_sub", "-V", version, "-h", "127.0.0.1", "-p", MqttPort, "--cafile", CaFile, "-q", "1", "-t", topic, "-C", "1", "-W", "15", "-d", "-F", "MSG|%t|%p", .. extra];
        var sub = ExternalProcess.Start("stdbuf", args);
        await sub.WaitForLineAsync("SUBACK");
        return sub;
    }
}

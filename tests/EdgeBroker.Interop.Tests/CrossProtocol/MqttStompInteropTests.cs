namespace EdgeBroker.Interop.Tests.CrossProtocol;

using System.Globalization;
using System.Text.Json;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// One topic space across protocols, with clients nobody here wrote: mosquitto_pub → stomp.py and stomp.py →
/// mosquitto_sub through the real broker process, MQTT 5 properties ↔ STOMP headers (README "Protocol mapping"),
/// and binary payloads with NUL bytes compared byte for byte in both directions.
/// </summary>
[Trait("Category", "Interop")]
public sealed class MqttStompInteropTests(MqttBrokerFixture fixture) : IClassFixture<MqttBrokerFixture>
{
    private static readonly byte[] Binary = [0x00, 0x01, 0xFF, 0x00, 0x7F, 0x0A, 0x00, 0xC3, 0x28, 0x00];

    private string MqttPort => fixture.Broker.MqttPort.ToString(CultureInfo.InvariantCulture);

    private string StompPort => fixture.Broker.StompPort.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task MosquittoPubV5PropertiesArriveAsStompHeaders()
    {
        await using var receiver = await StompReceiveAsync("/topic/xp/+/temp", count: 1);
        await ExternalProcess.RunAsync("mosquitto_pub",
        [
            "-V", "5", "-p", MqttPort, "-q", "1", "-t", "xp/room1/temp", "-m", "{\"c\":21.5}",
            "-D", "PUBLISH", "content-type", "application/json",
            "-D", "PUBLISH", "correlation-data", "req-7",
            "-D", "PUBLISH", "response-topic", "replies/xp",
            "-D", "PUBLISH", "message-expiry-interval", "3600",
            "-D", "PUBLISH", "user-property", "unit", "C",
        ]);

        var message = Assert.Single(await MessagesAsync(receiver));
        Assert.Equal("{\"c\":21.5}"u8.ToArray(), message.Body);
        Assert.Equal("/topic/xp/room1/temp", message.Headers["destination"]);
        Assert.Equal("application/json", message.Headers["content-type"]);
        Assert.Equal("req-7", message.Headers["correlation-id"]);
        Assert.Equal("/topic/replies/xp", message.Headers["reply-to"]);
        Assert.Equal("C", message.Headers["unit"]);
        var expiresIn = long.Parse(message.Headers["expires"], CultureInfo.InvariantCulture) - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.InRange(expiresIn, 3_000_000, 3_600_000);
    }

    [Fact]
    public async Task StompPyHeadersArriveAsMqtt5PropertiesAtMosquittoSub()
    {
        await using var sub = await MosquittoSubAsync("5", "xp/stomp/#", "MSG|%t|%C|%D|%R|%P|%p");
        await StompSendAsync("/topic/xp/stomp/a", "ok"u8.ToArray(),
            "content-type=text/plain", "correlation-id=corr-1", "reply-to=/topic/answers/here", "site=north", "persistent=true");

        Assert.Equal(0, await sub.WaitForExitAsync(20_000));
        var line = Assert.Single(MosquittoClientTests.Messages(sub));
        Assert.Equal("MSG|xp/stomp/a|text/plain|corr-1|answers/here|site:north|ok", line);
    }

    [Fact]
    public async Task BinaryPayloadWithNulBytesCrossesFromMqttToStompExactly()
    {
        await using var receiver = await StompReceiveAsync("/topic/xp/binary/in", count: 1);
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, Binary);
            await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "mqttv311", "-p", MqttPort, "-q", "1", "-t", "xp/binary/in", "-f", file]);
        }
        finally
        {
            File.Delete(file);
        }

        var message = Assert.Single(await MessagesAsync(receiver));
        Assert.Equal(Binary, message.Body);
        Assert.Equal(Binary.Length.ToString(CultureInfo.InvariantCulture), message.Headers["content-length"]);
    }

    [Theory]
    [InlineData("mqttv311")]
    [InlineData("5")]
    public async Task BinaryPayloadWithNulBytesCrossesFromStompToMqttExactly(string version)
    {
        var topic = "xp/binary/out/" + version;
        await using var sub = await MosquittoSubAsync(version, topic, "MSG|%x");
        await StompSendAsync("/topic/" + topic, Binary, "persistent=true");

        Assert.Equal(0, await sub.WaitForExitAsync(20_000));
        Assert.Equal("MSG|" + Convert.ToHexStringLower(Binary), Assert.Single(MosquittoClientTests.Messages(sub)));
    }

    [Fact]
    public async Task MqttPublishIntoAQueueIsRedeliveredToStompUntilAcked()
    {
        using var http = new HttpClient { BaseAddress = fixture.Broker.BaseAddress };
        (await http.PutAsync("api/queues/xp-work", Json("{}"))).EnsureSuccessStatusCode();
        (await http.PostAsync("api/bindings", Json("{\"pattern\":\"xp/jobs/#\",\"queue\":\"xp-work\"}"))).EnsureSuccessStatusCode();
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-p", MqttPort, "-q", "2", "-t", "xp/jobs/1", "-m", "job-1"]);

        // A consumer that takes the message and dies without ACK: the message must come back.
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "crossproto", "stomp_receive.py");
        await using (var careless = ExternalProcess.Start("/usr/bin/python3", ["-u", script, StompPort, "/queue/xp-work", "1", "client-individual", "noack"]))
        {
            Assert.Equal(0, await careless.WaitForExitAsync(20_000));
        }

        await using var careful = ExternalProcess.Start("/usr/bin/python3", ["-u", script, StompPort, "/queue/xp-work", "1", "client-individual", "ack"]);
        Assert.Equal(0, await careful.WaitForExitAsync(20_000));
        var redelivered = Assert.Single(Parse(careful));
        Assert.Equal("job-1"u8.ToArray(), redelivered.Body);
        Assert.Equal("true", redelivered.Headers["redelivered"]);

        using var queue = JsonDocument.Parse(await http.GetStringAsync("api/queues/xp-work"));
        Assert.Equal(0, queue.RootElement.GetProperty("ready").GetInt64());
        Assert.Equal(0, queue.RootElement.GetProperty("unacked").GetInt64());
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private async Task<ExternalProcess> StompReceiveAsync(string destination, int count)
    {
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "crossproto", "stomp_receive.py");
        var process = ExternalProcess.Start("/usr/bin/python3", ["-u", script, StompPort, destination, count.ToString(CultureInfo.InvariantCulture)]);
        await process.WaitForLineAsync("READY");
        return process;
    }

    private Task StompSendAsync(string destination, byte[] body, params string[] headers)
    {
        var script = Path.Combine(ExternalProcess.RepositoryRoot, "tests", "python", "crossproto", "stomp_send.py");
        return ExternalProcess.RunAsync("/usr/bin/python3", ["-u", script, StompPort, destination, Convert.ToHexStringLower(body), .. headers]);
    }

    private async Task<ExternalProcess> MosquittoSubAsync(string version, string filter, string format)
    {
        var sub = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", version, "-p", MqttPort, "-q", "1", "-C", "1", "-W", "20", "-d", "-t", filter, "-F", format]);
        await sub.WaitForLineAsync("SUBACK");
        return sub;
    }

    private static async Task<List<(byte[] Body, Dictionary<string, string> Headers)>> MessagesAsync(ExternalProcess receiver)
    {
        Assert.Equal(0, await receiver.WaitForExitAsync(20_000));
        return Parse(receiver);
    }

    private static List<(byte[] Body, Dictionary<string, string> Headers)> Parse(ExternalProcess receiver)
    {
        var json = receiver.Lines.Last(l => l.StartsWith('{'));
        using var document = JsonDocument.Parse(json);
        return
        [
            .. document.RootElement.GetProperty("messages").EnumerateArray().Select(m => (
                Convert.FromHexString(m.GetProperty("hex").GetString()!),
                m.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!, StringComparer.Ordinal))),
        ];
    }
}

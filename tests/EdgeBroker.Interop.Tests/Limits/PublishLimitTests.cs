namespace EdgeBroker.Interop.Tests.Limits;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// Publish limits against the real broker process with mosquitto clients: over <c>Limits:PublishMessagesPerSecond</c>
/// a publisher is slowed, never dropped; above the memory high watermark publishers are held (MQTT) or refused with
/// 503 (HTTP) while subscribers are still served.
/// </summary>
[Trait("Category", "Interop")]
public sealed class PublishLimitTests
{
    [Fact]
    public async Task APublisherOverItsMessageRateIsSlowedAndLosesNothing()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Limits:PublishMessagesPerSecond=20", "--EdgeBroker:Limits:PublishBurstMessages=1", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var port = broker.MqttPort.ToString(CultureInfo.InvariantCulture);
        await using var subscriber = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", "5", "-p", port, "-q", "1", "-t", "limits/rate", "-C", "41", "-d"]);
        await subscriber.WaitForLineAsync("SUBACK");

        // 41 QoS 1 publishes at 20/s with a burst of 1: the first passes, the other 40 wait 50 ms each.
        var clock = Stopwatch.StartNew();
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-p", port, "-q", "1", "-t", "limits/rate", "-m", "tick", "--repeat", "41"], timeoutMs: 60_000);
        var elapsed = clock.Elapsed;

        Assert.Equal(0, await subscriber.WaitForExitAsync(30_000));
        Assert.Equal(41, subscriber.Lines.Count(l => l == "tick"));
        Assert.True(elapsed >= TimeSpan.FromSeconds(1.5), $"41 publishes at 20/s took only {elapsed.TotalMilliseconds:0} ms");
        var held = Counter(await ConnectionLimitTests.MetricsAsync(broker), "message_rate");
        Assert.True(held >= 30, $"only {held} publishes were held by the rate");
    }

    [Fact]
    public async Task AboveTheMemoryWatermarkPublishersAreHeldAndSubscribersStillServed()
    {
        // A 1-byte watermark: the alarm is raised at the first check and never clears.
        await using var broker = new BrokerProcess(["--EdgeBroker:Limits:MemoryHighWatermarkBytes=1", "--EdgeBroker:Limits:MemoryCheckIntervalMs=100", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();
        var port = broker.MqttPort.ToString(CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = broker.BaseAddress };
        await Poll.UntilAsync(async () => (await http.GetStringAsync("metrics")).Contains("edgebroker_memory_alarm 1", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "condition not met within 15 s");

        // MQTT: the QoS 1 publish is read no further, so no PUBACK comes and mosquitto_pub keeps waiting.
        await using var publisher = ExternalProcess.Start("mosquitto_pub", ["-V", "5", "-p", port, "-i", "held-pub", "-q", "1", "-t", "limits/memory", "-m", "held"]);

        // Subscribers are still served: a new one connects, subscribes and gets the held publisher's retained presence.
        var presence = await ExternalProcess.RunAsync("mosquitto_sub", ["-V", "5", "-p", port, "-t", "$SYS/clients/held-pub/presence", "-C", "1", "-W", "10"]);
        Assert.Contains(presence, l => l.Contains("\"online\"", StringComparison.Ordinal));

        // HTTP cannot be held by TCP flow control: 503 with the reason and a Retry-After.
        using var response = await http.PostAsync("api/publish", new StringContent("{\"topic\":\"limits/memory\",\"payload\":\"x\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("memory alarm", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Still no PUBACK (mosquitto_pub would have exited at once): it is killed at the deadline.
        Assert.Equal(-1, await publisher.WaitForExitAsync(2_000));

        var metrics = await ConnectionLimitTests.MetricsAsync(broker);
        Assert.True(Counter(metrics, "memory_alarm") >= 1, metrics);
        Assert.Contains("Memory alarm raised", broker.ReadLog(), StringComparison.Ordinal);
    }

    private static long Counter(string metrics, string reason)
    {
        var match = Regex.Match(metrics, "edgebroker_publishes_held_total\\{reason=\"" + reason + "\"\\} (\\d+)");
        Assert.True(match.Success, metrics);
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

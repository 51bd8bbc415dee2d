namespace EdgeBroker.Interop.Tests.Reliability;

using System.Globalization;
using System.Text.RegularExpressions;
using EdgeBroker.Interop.Tests.Faults;
using EdgeBroker.Interop.Tests.Mqtt;

/// <summary>
/// Fault F14 (slow consumer) against the real broker process: a raw MQTT subscriber stops reading while
/// mosquitto_pub publishes 3,000 messages of 8 KiB (24 MiB, more than the kernel's socket buffers absorb). Its live QoS 0 buffer stays bounded by <c>Mqtt:MaxQueuedMessages</c>
/// (100 here): the overflow is dropped and counted, never queued without bound, and a healthy mosquitto_sub on the
/// same topic still receives every message. The STOMP case is the same with a raw STOMP subscriber stalled on
/// <c>/topic/slow/#</c> and <c>Stomp:MaxPendingLiveMessages</c>.
/// </summary>
[Trait("Category", "Interop")]
public sealed class SlowConsumerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Messages = 3000;

    [Fact]
    public async Task AStalledSubscribersOverflowIsDroppedAndCountedWhileOthersGetEverything()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Mqtt:MaxQueuedMessages=100", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();

        await using var stalled = await RawTcpClient.ConnectAsync(broker.MqttPort, bufferSize: 4096);
        await stalled.SendAsync(RawMqtt.Connect("stalled", level: 4));
        Assert.Equal(2, (await RawMqtt.ReadAsync(stalled, TimeSpan.FromSeconds(10)))!.Type); // CONNACK
        await stalled.SendAsync(RawMqtt.Subscribe("slow/#", packetId: 1, qos: 0));
        Assert.Equal(9, (await RawMqtt.ReadAsync(stalled, TimeSpan.FromSeconds(10)))!.Type); // SUBACK

        await PublishPastTheStalledSubscriberAsync(broker);
    }

    [Fact]
    public async Task AStalledStompSubscribersOverflowIsDroppedAndCountedWhileOthersGetEverything()
    {
        await using var broker = new BrokerProcess(["--EdgeBroker:Stomp:MaxPendingLiveMessages=100", "--EdgeBroker:Mqtt:SysIntervalSeconds=0"]);
        await broker.StartAsync();

        await using var stalled = await RawTcpClient.ConnectAsync(broker.StompPort, bufferSize: 4096);
        await stalled.SendAsync(System.Text.Encoding.UTF8.GetBytes(RawStomp.Connect("1.2")));
        Assert.Equal("CONNECTED", (await RawStomp.ReadAsync(stalled, TimeSpan.FromSeconds(10)))!.Command);
        await stalled.SendAsync(System.Text.Encoding.UTF8.GetBytes("SUBSCRIBE\nid:s\ndestination:/topic/slow/#\nreceipt:r\n\n\0"));
        Assert.Equal("RECEIPT", (await RawStomp.ReadAsync(stalled, TimeSpan.FromSeconds(10)))!.Command);

        await PublishPastTheStalledSubscriberAsync(broker);
    }

    /// <summary>mosquitto_pub sends the messages; a healthy mosquitto_sub must get them all, the stalled one most are dropped.</summary>
    private async Task PublishPastTheStalledSubscriberAsync(BrokerProcess broker)
    {
        var port = broker.MqttPort.ToString(CultureInfo.InvariantCulture);

        // The healthy subscriber has a persistent QoS 1 session: its messages go through its durable session queue,
        // which never drops, so a moment of lag on a loaded machine cannot cost it messages (live buffers may).
        await using var healthy = ExternalProcess.Start("stdbuf", ["-oL", "mosquitto_sub", "-V", "5", "-p", port, "-i", "healthy", "-c", "-x", "300", "-q", "1", "-t", "slow/#", "-C", Messages.ToString(CultureInfo.InvariantCulture), "-F", "len=%l", "-d"]);
        await healthy.WaitForLineAsync("SUBACK");

        // QoS 1 publishes: the publisher waits for each PUBACK, so the healthy subscriber is never the slow one.
        var payload = new string('x', 8192);
        await ExternalProcess.RunAsync("mosquitto_pub", ["-V", "5", "-p", port, "-q", "1", "-t", "slow/data", "-m", payload, "--repeat", Messages.ToString(CultureInfo.InvariantCulture)], timeoutMs: 120_000);

        Assert.Equal(0, await healthy.WaitForExitAsync(120_000));
        Assert.Equal(Messages, healthy.Lines.Count(l => l == "len=8192"));

        using var http = new HttpClient { BaseAddress = broker.BaseAddress };
        var metrics = await http.GetStringAsync("metrics");
        var dropped = long.Parse(Regex.Match(metrics, "edgebroker_messages_dropped_total (\\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

        // At most 100 queued, plus what the socket buffers and the pipe hold (up to about 10 MiB of 8 KiB messages with
        // Debian's default tcp_rmem/tcp_wmem); an unbounded buffer would drop nothing.
        output.WriteLine($"dropped for the stalled subscriber: {dropped} of {Messages}");
        Assert.True(dropped >= 500, $"only {dropped} of {Messages} were dropped for the stalled subscriber: its buffer is not bounded");
        Assert.True(dropped < Messages, metrics);
        Assert.Empty(broker.ErrorLines());
    }
}

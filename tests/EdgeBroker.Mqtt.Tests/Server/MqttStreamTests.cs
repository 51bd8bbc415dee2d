namespace EdgeBroker.Mqtt.Tests.Server;

using System.Buffers;
using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Streams;
using EdgeBroker.Mqtt.Codec;

[Trait("Category", "Conformance")]
public sealed class MqttStreamTests
{
    private static string Text(MqttPublishPacket publish) => Encoding.UTF8.GetString(publish.Payload.ToArray());

    private static string? Property(MqttPublishPacket publish, string name) =>
        publish.Properties?.UserProperties?.FirstOrDefault(p => p.Name == name).Value;

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(10);
        }
    }

    private static async Task<StreamLog> TelemetryAsync(TestBroker broker, int partitions = 1)
    {
        var (stream, _) = await broker.Streams.DeclareAsync(new StreamDeclaration { Name = "telemetry", Partitions = partitions, Filters = ["sensors/#"] });
        return stream;
    }

    private static Task AppendAsync(StreamLog stream, string topic, string payload, long timestampMs = 0, int? partition = null) =>
        stream.AppendAsync(new Message { Topic = topic, Payload = Encoding.UTF8.GetBytes(payload), TimestampMs = timestampMs }, partition).AsTask();

    [Theory]
    [InlineData("$stream/telemetry/first/#", "telemetry", StreamPositionKind.First, 0L, null, "#")]
    [InlineData("$stream/telemetry/42/sensors/+", "telemetry", StreamPositionKind.Offset, 42L, null, "sensors/+")]
    [InlineData("$stream/t.1/t1700000000000/$group/g-1/a/b", "t.1", StreamPositionKind.Timestamp, 1700000000000L, "g-1", "a/b")]
    [InlineData("$stream/x/next/$group/workers/#", "x", StreamPositionKind.Next, 0L, "workers", "#")]
    public void ParsesTheStreamSubscriptionForm(string text, string stream, StreamPositionKind kind, long value, string? group, string filter)
    {
        var parsed = EdgeBroker.Mqtt.Server.MqttStreamFilter.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal(new EdgeBroker.Mqtt.Server.MqttStreamFilter(stream, new StreamPosition(kind, value), group, filter), parsed);
    }

    [Theory]
    [InlineData("$stream/telemetry")]
    [InlineData("$stream/telemetry/first")]
    [InlineData("$stream/telemetry/sometime/#")]
    [InlineData("$stream/bad name/first/#")]
    [InlineData("$stream/telemetry/first/$group/g")]
    [InlineData("$stream/telemetry/first/a/#/b")]
    public void RejectsMalformedStreamSubscriptions(string text)
    {
        Assert.Null(EdgeBroker.Mqtt.Server.MqttStreamFilter.Parse(text, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public async Task ReplaysFromTheFirstRecordThenFollowsLiveWithStreamProperties()
    {
        await using var broker = TestBroker.Start();
        var stream = await TelemetryAsync(broker);
        await AppendAsync(stream, "sensors/a", "0");
        await AppendAsync(stream, "sensors/b", "1");

        await using var client = await broker.ConnectAsync("reader", MqttProtocolVersion.V500);
        var suback = await client.SubscribeAsync("$stream/telemetry/first/#", MqttQos.AtMostOnce);
        Assert.Equal([MqttReasonCode.Success], suback.ReasonCodes);
        var first = await client.ReceiveAsync<MqttPublishPacket>();
        var second = await client.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal(["0", "1"], [Text(first), Text(second)]);
        Assert.Equal(["sensors/a", "sensors/b"], [first.Topic, second.Topic]);
        Assert.Equal("0", Property(first, "x-stream-offset"));
        Assert.Equal("1", Property(second, "x-stream-offset"));
        Assert.Equal("0", Property(first, "x-stream-partition"));

        // Live: a publish captured by the stream's filter reaches the reader through the stream.
        await using var device = await broker.ConnectAsync("device");
        await device.PublishAsync("sensors/c", "2", MqttQos.AtLeastOnce, 7);
        var live = await client.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("2", Text(live));
        Assert.Equal("2", Property(live, "x-stream-offset"));
    }

    [Fact]
    public async Task TimestampStartAndTopicFilterSelectRecords()
    {
        await using var broker = TestBroker.Start();
        var stream = await TelemetryAsync(broker);
        await AppendAsync(stream, "sensors/a", "old", 1_000);
        await AppendAsync(stream, "sensors/b", "skip", 2_000);
        await AppendAsync(stream, "sensors/a", "new", 3_000);

        await using var client = await broker.ConnectAsync("reader");
        await client.SubscribeAsync("$stream/telemetry/t2000/sensors/a", MqttQos.AtMostOnce);
        var publish = await client.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("new", Text(publish));
        Assert.Null(await client.TryReceiveAsync(200));
    }

    [Fact]
    public async Task UnknownStreamIsRefusedInTheSubAck()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("reader", MqttProtocolVersion.V500);
        var suback = await client.SubscribeAsync("$stream/nothing/first/#");
        Assert.Equal([MqttReasonCode.TopicFilterInvalid], suback.ReasonCodes);
    }

    [Fact]
    public async Task QoS1PubAckCommitsTheGroupOffsetAndAReconnectResumesAfterIt()
    {
        await using var broker = TestBroker.Start();
        var stream = await TelemetryAsync(broker);
        for (var i = 0; i < 3; i++)
        {
            await AppendAsync(stream, "sensors/x", "r" + i);
        }

        const string filter = "$stream/telemetry/first/$group/workers/#";
        await using (var client = await broker.ConnectAsync("w1"))
        {
            var suback = await client.SubscribeAsync(filter, MqttQos.ExactlyOnce);
            Assert.Equal([MqttReasonCode.GrantedQos1], suback.ReasonCodes); // QoS 2 is granted 1: PUBACK is the commit
            var first = await client.ReceiveAsync<MqttPublishPacket>();
            var second = await client.ReceiveAsync<MqttPublishPacket>();
            Assert.Equal(["r0", "r1"], [Text(first), Text(second)]);
            await client.SendAsync(new MqttPubAckPacket { PacketId = first.PacketId });
            await UntilAsync(() => broker.Streams.Group("telemetry", "workers").Committed(0) == 1);
            await client.DropAsync(); // r1 was never acknowledged
        }

        await using var again = await broker.ConnectAsync("w2");
        await again.SubscribeAsync(filter, MqttQos.AtLeastOnce);
        var redelivered = await again.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("r1", Text(redelivered)); // at-least-once: the unacknowledged record again, nothing committed repeated
    }
}

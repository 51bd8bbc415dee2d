namespace EdgeBroker.Mqtt.Tests.Server;

using System.Text;
using EdgeBroker.Mqtt.Codec;
using static EdgeBroker.Mqtt.Tests.Server.MqttConnectTests;

[Trait("Category", "Conformance")]
public sealed class MqttPublishTests
{
    [Theory]
    [InlineData(MqttQos.AtMostOnce)]
    [InlineData(MqttQos.AtLeastOnce)]
    [InlineData(MqttQos.ExactlyOnce)]
    public async Task DeliversPublishAtEachQos(MqttQos qos)
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("a/+", MqttQos.ExactlyOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("a/b", "hello", qos, packetId: qos == MqttQos.AtMostOnce ? (ushort)0 : (ushort)7);
        if (qos == MqttQos.AtLeastOnce)
        {
            Assert.Equal((ushort)7, (await pub.ReceiveAsync<MqttPubAckPacket>()).PacketId);
        }
        else if (qos == MqttQos.ExactlyOnce)
        {
            Assert.Equal((ushort)7, (await pub.ReceiveAsync<MqttPubRecPacket>()).PacketId);
            await pub.SendAsync(new MqttPubRelPacket { PacketId = 7 });
            Assert.Equal((ushort)7, (await pub.ReceiveAsync<MqttPubCompPacket>()).PacketId);
        }

        var publish = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("a/b", publish.Topic);
        Assert.Equal("hello", Text(publish));
        Assert.Equal(qos, publish.Qos);
        if (qos == MqttQos.AtLeastOnce)
        {
            await sub.SendAsync(new MqttPubAckPacket { PacketId = publish.PacketId });
        }
        else if (qos == MqttQos.ExactlyOnce)
        {
            await sub.SendAsync(new MqttPubRecPacket { PacketId = publish.PacketId });
            Assert.Equal(publish.PacketId, (await sub.ReceiveAsync<MqttPubRelPacket>()).PacketId);
            await sub.SendAsync(new MqttPubCompPacket { PacketId = publish.PacketId });
        }
    }

    [Fact]
    [Trait("Spec", "MQTT-4.3.3-10")]
    public async Task Qos2DuplicateIsAcknowledgedButNotRoutedAgain()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("q2", MqttQos.AtMostOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("q2", "once", MqttQos.ExactlyOnce, 9);
        await pub.ReceiveAsync<MqttPubRecPacket>();
        await pub.PublishAsync("q2", "once", MqttQos.ExactlyOnce, 9, dup: true);
        await pub.ReceiveAsync<MqttPubRecPacket>();
        await pub.SendAsync(new MqttPubRelPacket { PacketId = 9 });
        await pub.ReceiveAsync<MqttPubCompPacket>();

        Assert.Equal("once", Text(await sub.ReceiveAsync<MqttPublishPacket>()));
        Assert.Null(await sub.TryReceiveAsync(300));
    }

    [Fact]
    public async Task DowngradesToSubscriptionQos()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("d", MqttQos.AtMostOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("d", "x", MqttQos.ExactlyOnce, 1);
        var publish = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal(MqttQos.AtMostOnce, publish.Qos);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.4-1")]
    public async Task V5PropertiesTravelThroughTheCore()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500);
        await sub.SubscribeAsync("props", MqttQos.AtLeastOnce);
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("props", "{}", MqttQos.AtLeastOnce, 3, properties: new MqttProperties
        {
            ContentType = "application/json",
            ResponseTopic = "replies/1",
            CorrelationData = [1, 2, 3],
            PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
            MessageExpiryInterval = 300,
            UserProperties = [new("a", "1"), new("a", "2")],
        });
        await pub.ReceiveAsync<MqttPubAckPacket>();
        var publish = await sub.ReceiveAsync<MqttPublishPacket>();
        var p = publish.Properties!;
        Assert.Equal("application/json", p.ContentType);
        Assert.Equal("replies/1", p.ResponseTopic);
        Assert.Equal(new byte[] { 1, 2, 3 }, p.CorrelationData);
        Assert.Equal(MqttPayloadFormatIndicator.Utf8, p.PayloadFormatIndicator);
        Assert.InRange(p.MessageExpiryInterval!.Value, 299u, 300u);
        Assert.Equal([new("a", "1"), new("a", "2")], p.UserProperties!);
    }

    [Fact]
    public async Task V5PubAckSaysNoMatchingSubscribers()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("nobody/listens", "x", MqttQos.AtLeastOnce, 1);
        var ack = await pub.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, ack.ReasonCode);
    }

    [Fact]
    public async Task V5PubAckRefusesReservedTopicAsNotAuthorized()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("$SYS/fake", "x", MqttQos.AtLeastOnce, 1);
        var ack = await pub.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal(MqttReasonCode.NotAuthorized, ack.ReasonCode);
    }

    [Fact]
    public async Task TopicAliasFromClientIsResolved()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("long/topic/name", MqttQos.AtMostOnce);
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("long/topic/name", "first", properties: new MqttProperties { TopicAlias = 1 });
        await pub.PublishAsync(string.Empty, "second", properties: new MqttProperties { TopicAlias = 1 });
        Assert.Equal("first", Text(await sub.ReceiveAsync<MqttPublishPacket>()));
        var second = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("long/topic/name", second.Topic);
        Assert.Equal("second", Text(second));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.2-10")]
    public async Task TopicAliasAboveMaximumDisconnectsWith94()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("t", "x", properties: new MqttProperties { TopicAlias = 17 });
        var packets = await pub.ExpectClosedAsync();
        var disconnect = Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets));
        Assert.Equal(MqttReasonCode.TopicAliasInvalid, disconnect.ReasonCode);
        Assert.Contains("alias", disconnect.Properties?.ReasonString ?? "", StringComparison.OrdinalIgnoreCase); // v5 reason string for the developer
    }

    [Fact]
    [Trait("Spec", "MQTT-3.14.2-3")]
    public async Task ReasonStringIsLeftOutWhenItWouldExceedTheClientsMaximumPacketSize()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500, properties: new MqttProperties { MaximumPacketSize = 16 });
        await pub.PublishAsync("t", "x", properties: new MqttProperties { TopicAlias = 17 });
        var packets = await pub.ExpectClosedAsync();
        var disconnect = Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets));
        Assert.Equal(MqttReasonCode.TopicAliasInvalid, disconnect.ReasonCode);
        Assert.Null(disconnect.Properties?.ReasonString);
    }

    [Fact]
    public async Task TopicAliasTowardsClientReplacesRepeatedTopic()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500, properties: new MqttProperties { TopicAliasMaximum = 4 });
        await sub.SubscribeAsync("alias/me", MqttQos.AtMostOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("alias/me", "1");
        await pub.PublishAsync("alias/me", "2");
        var first = await sub.ReceiveAsync<MqttPublishPacket>();
        var second = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("alias/me", first.Topic);
        Assert.Equal((ushort)1, first.Properties!.TopicAlias);
        Assert.Equal(string.Empty, second.Topic);
        Assert.Equal((ushort)1, second.Properties!.TopicAlias);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2-24")]
    public async Task NeverSendsMoreThanClientMaximumPacketSize()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500, properties: new MqttProperties { MaximumPacketSize = 64 });
        await sub.SubscribeAsync("big", MqttQos.AtMostOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("big", new string('x', 200));
        await pub.PublishAsync("big", "small");
        Assert.Equal("small", Text(await sub.ReceiveAsync<MqttPublishPacket>()));
        Assert.Equal(1, broker.Server.Counters.OversizeDropped);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.4-7")]
    public async Task RespectsClientReceiveMaximum()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500, properties: new MqttProperties { ReceiveMaximum = 1 });
        await sub.SubscribeAsync("rm", MqttQos.AtLeastOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("rm", "1", MqttQos.AtLeastOnce, 1);
        await pub.PublishAsync("rm", "2", MqttQos.AtLeastOnce, 2);
        var first = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("1", Text(first));
        Assert.Null(await sub.TryReceiveAsync(300));
        await sub.SendAsync(new MqttPubAckPacket { PacketId = first.PacketId });
        Assert.Equal("2", Text(await sub.ReceiveAsync<MqttPublishPacket>()));
    }

    [Fact]
    public async Task ExpiredMessageIsNotDelivered()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("exp", "old", MqttQos.AtLeastOnce, 1, retain: true, properties: new MqttProperties { MessageExpiryInterval = 1 });
        await pub.ReceiveAsync<MqttPubAckPacket>();
        await Task.Delay(1100); // the expiry itself is what is under test, not a synchronisation
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("exp", MqttQos.AtMostOnce);
        Assert.Null(await sub.TryReceiveAsync(300));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.4-6")]
    public async Task SubscriptionIdentifierFromClientIsProtocolError()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.PublishAsync("t", "x", properties: new MqttProperties { SubscriptionIdentifiers = [5] });
        var packets = await pub.ExpectClosedAsync();
        Assert.Equal(MqttReasonCode.ProtocolError, Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets)).ReasonCode);
    }

    [Fact]
    public async Task InvalidUtf8WithPayloadFormatIndicatorIsRefused()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub", MqttProtocolVersion.V500);
        await pub.SendAsync(new MqttPublishPacket
        {
            Topic = "t",
            Payload = new System.Buffers.ReadOnlySequence<byte>(new byte[] { 0xC3, 0x28 }),
            Properties = new MqttProperties { PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8 },
        });
        var packets = await pub.ExpectClosedAsync();
        Assert.Equal(MqttReasonCode.PayloadFormatInvalid, Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets)).ReasonCode);
    }

    [Fact]
    public async Task EveryByteSplitOfConnectAndPublishGivesTheSameResult()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("split", MqttQos.AtMostOnce);
        var stream = new System.IO.Pipelines.Pipe();
        MqttPacketWriter.Write(stream.Writer, new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "splitter", CleanSession = true, KeepAliveSeconds = 30 }, MqttProtocolVersion.V311);
        MqttPacketWriter.Write(stream.Writer, new MqttPublishPacket { Topic = "split", Qos = MqttQos.AtLeastOnce, PacketId = 5, Payload = new System.Buffers.ReadOnlySequence<byte>("payload"u8.ToArray()) }, MqttProtocolVersion.V311);
        await stream.Writer.FlushAsync();
        var read = await stream.Reader.ReadAsync();
        var bytes = System.Buffers.BuffersExtensions.ToArray(read.Buffer);
        for (var split = 1; split < bytes.Length; split++)
        {
            await using var client = broker.Open();
            await client.SendRawAsync(bytes.AsMemory(0, split));
            await client.SendRawAsync(bytes.AsMemory(split));
            Assert.Equal(MqttReasonCode.Success, (await client.ReceiveAsync<MqttConnAckPacket>()).ReasonCode);
            Assert.Equal((ushort)5, (await client.ReceiveAsync<MqttPubAckPacket>()).PacketId);
            Assert.Equal("payload", Text(await sub.ReceiveAsync<MqttPublishPacket>()));
        }
    }
}

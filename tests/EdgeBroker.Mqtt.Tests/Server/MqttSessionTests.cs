namespace EdgeBroker.Mqtt.Tests.Server;

using EdgeBroker.Mqtt.Codec;
using static EdgeBroker.Mqtt.Tests.Server.MqttConnectTests;

[Trait("Category", "Conformance")]
public sealed class MqttSessionTests
{
    [Fact]
    [Trait("Spec", "MQTT-3.2.2-3")]
    public async Task PersistentSessionKeepsSubscriptionAndQueuesMessagesWhileOffline()
    {
        await using var broker = TestBroker.Start();
        var sub = await broker.ConnectAsync("dev", clean: false);
        await sub.SubscribeAsync("p/#", MqttQos.AtLeastOnce);
        await sub.DisconnectAsync();

        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("p/1", "while away", MqttQos.AtLeastOnce, 1);
        await pub.ReceiveAsync<MqttPubAckPacket>();

        await using var back = await broker.ConnectAsync("dev", clean: false);
        Assert.True(back.ConnAck!.SessionPresent);
        var publish = await back.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("while away", Text(publish));
        Assert.Equal(MqttQos.AtLeastOnce, publish.Qos);
    }

    [Fact]
    public async Task PersistentSessionSurvivesBrokerRestart()
    {
        await using var broker = TestBroker.Start();
        var sub = await broker.ConnectAsync("dev", MqttProtocolVersion.V500, clean: false, properties: new MqttProperties { SessionExpiryInterval = 3600 });
        await sub.SubscribeAsync("s/+", MqttQos.AtLeastOnce);
        await sub.DropAsync();

        await using (var pub = await broker.ConnectAsync("pub"))
        {
            for (ushort i = 1; i <= 3; i++)
            {
                await pub.PublishAsync("s/x", "m" + i, MqttQos.AtLeastOnce, i);
                await pub.ReceiveAsync<MqttPubAckPacket>();
            }
        }

        await broker.RestartAsync();

        await using var back = await broker.ConnectAsync("dev", MqttProtocolVersion.V500, clean: false, properties: new MqttProperties { SessionExpiryInterval = 3600 });
        Assert.True(back.ConnAck!.SessionPresent);
        var payloads = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var publish = await back.ReceiveAsync<MqttPublishPacket>();
            payloads.Add(Text(publish));
            await back.SendAsync(new MqttPubAckPacket { PacketId = publish.PacketId });
        }

        Assert.Equal(["m1", "m2", "m3"], payloads);

        // The subscription itself survived too: a new publish still reaches the session.
        await using var pub2 = await broker.ConnectAsync("pub2");
        await pub2.PublishAsync("s/y", "after restart", MqttQos.AtLeastOnce, 1);
        Assert.Equal("after restart", Text(await back.ReceiveAsync<MqttPublishPacket>()));
    }

    [Fact]
    [Trait("Spec", "MQTT-4.4.0-1")]
    public async Task UnacknowledgedMessageIsRedeliveredWithDupOnReconnect()
    {
        await using var broker = TestBroker.Start();
        var sub = await broker.ConnectAsync("dev", clean: false);
        await sub.SubscribeAsync("r", MqttQos.AtLeastOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("r", "again", MqttQos.AtLeastOnce, 1);
        var first = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.False(first.Dup);
        await sub.DropAsync(); // no PUBACK

        await using var back = await broker.ConnectAsync("dev", clean: false);
        var second = await back.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("again", Text(second));
        Assert.True(second.Dup);
        await back.SendAsync(new MqttPubAckPacket { PacketId = second.PacketId });
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2-4")]
    public async Task CleanStartDiscardsThePreviousSession()
    {
        await using var broker = TestBroker.Start();
        var sub = await broker.ConnectAsync("dev", clean: false);
        await sub.SubscribeAsync("c", MqttQos.AtLeastOnce);
        await sub.DisconnectAsync();

        await using var fresh = await broker.ConnectAsync("dev", clean: true);
        Assert.False(fresh.ConnAck!.SessionPresent);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("c", "x", MqttQos.AtLeastOnce, 1);
        await pub.ReceiveAsync<MqttPubAckPacket>();
        Assert.Null(await fresh.TryReceiveAsync(300));
    }

    [Fact]
    public async Task CleanSessionEndsWithTheConnection()
    {
        await using var broker = TestBroker.Start();
        var client = await broker.ConnectAsync("temp", clean: true);
        await client.SubscribeAsync("t");
        await client.DisconnectAsync();
        Assert.Equal(0, broker.Server.SessionCount);
        await using var again = await broker.ConnectAsync("temp", clean: false);
        Assert.False(again.ConnAck!.SessionPresent);
    }

    [Fact]
    public async Task ExpiredSessionIsRemoved()
    {
        await using var broker = TestBroker.Start(o => o with { SessionSweepInterval = TimeSpan.FromMilliseconds(100) });
        var client = await broker.ConnectAsync("short", MqttProtocolVersion.V500, clean: false, properties: new MqttProperties { SessionExpiryInterval = 1 });
        await client.SubscribeAsync("e", MqttQos.AtLeastOnce);
        await client.DisconnectAsync();
        Assert.Equal(1, broker.Server.SessionCount);

        var deadline = Environment.TickCount64 + 5000;
        // The sweep forgets the session first and deletes its queue right after: wait for both.
        var queue = EdgeBroker.Mqtt.Server.MqttServer.SessionQueueName("short");
        while ((broker.Server.SessionCount != 0 || broker.Broker.Topology.GetQueue(queue) is not null) && Environment.TickCount64 < deadline)
        {
            await Task.Delay(20); // polling the sweep with a deadline
        }

        Assert.Equal(0, broker.Server.SessionCount);
        Assert.Null(broker.Broker.Topology.GetQueue(queue));
        await using var back = await broker.ConnectAsync("short", MqttProtocolVersion.V500, clean: false, properties: new MqttProperties { SessionExpiryInterval = 1 });
        Assert.False(back.ConnAck!.SessionPresent);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.14.2-2")]
    public async Task SettingSessionExpiryOnDisconnectAfterZeroIsProtocolError()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("z", MqttProtocolVersion.V500);
        await client.SendAsync(new MqttDisconnectPacket { Properties = new MqttProperties { SessionExpiryInterval = 60 } });
        var packets = await client.ExpectClosedAsync();
        Assert.Equal(MqttReasonCode.ProtocolError, Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets)).ReasonCode);
    }

    [Fact]
    [Trait("Spec", "MQTT-4.3.3-10")]
    public async Task Qos2ReceivedIdSurvivesRestartSoDuplicateIsNotRoutedAgain()
    {
        await using var broker = TestBroker.Start();
        await using (var watcher = await broker.ConnectAsync("watcher", clean: false))
        {
            await watcher.SubscribeAsync("x2", MqttQos.AtLeastOnce);
        }

        var pub = await broker.ConnectAsync("pub2", clean: false);
        await pub.PublishAsync("x2", "exactly", MqttQos.ExactlyOnce, 42);
        await pub.ReceiveAsync<MqttPubRecPacket>();
        await pub.DropAsync();
        await broker.RestartAsync();

        await using var again = await broker.ConnectAsync("pub2", clean: false);
        await again.PublishAsync("x2", "exactly", MqttQos.ExactlyOnce, 42, dup: true);
        await again.ReceiveAsync<MqttPubRecPacket>();
        await again.SendAsync(new MqttPubRelPacket { PacketId = 42 });
        Assert.Equal(MqttReasonCode.Success, (await again.ReceiveAsync<MqttPubCompPacket>()).ReasonCode);

        await using var back = await broker.ConnectAsync("watcher", clean: false);
        var publish = await back.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("exactly", Text(publish));
        await back.SendAsync(new MqttPubAckPacket { PacketId = publish.PacketId });
        Assert.Null(await back.TryReceiveAsync(300));
    }

    [Fact]
    public async Task DelayedWillIsCancelledWhenClientReturns()
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await broker.ConnectAsync("watcher");
        await watcher.SubscribeAsync("w", MqttQos.AtMostOnce);
        var will = new MqttWillMessage { Topic = "w", Payload = "late"u8.ToArray(), Properties = new MqttProperties { WillDelayInterval = 2 } };
        var expiry = new MqttProperties { SessionExpiryInterval = 60 };
        var client = await broker.ConnectAsync("d", MqttProtocolVersion.V500, clean: false, properties: expiry, will: will);
        await client.DropAsync();
        await using var back = await broker.ConnectAsync("d", MqttProtocolVersion.V500, clean: false, properties: expiry);
        Assert.Null(await watcher.TryReceiveAsync(2500));
    }
}

namespace EdgeBroker.Mqtt.Tests.Server;

using EdgeBroker.Mqtt.Codec;
using EdgeBroker.Mqtt.Server;

[Trait("Category", "Conformance")]
public sealed class MqttConnectTests
{
    [Fact]
    public async Task AcceptsV311ConnectWithoutSessionPresent()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("c1");
        Assert.False(client.ConnAck!.SessionPresent);
        Assert.Equal(1, broker.Server.ConnectedClients);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.2.2-16")]
    public async Task AssignsClientIdentifierToV5ClientWithEmptyId()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync(string.Empty, MqttProtocolVersion.V500);
        var assigned = client.ConnAck!.Properties?.AssignedClientIdentifier;
        Assert.False(string.IsNullOrEmpty(assigned));
        Assert.Equal((ushort)100, client.ConnAck.Properties!.ReceiveMaximum);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.3-8")]
    public async Task RefusesEmptyClientIdWithPersistentSessionOnV311()
    {
        await using var broker = TestBroker.Start();
        await using var client = broker.Open();
        await client.SendAsync(new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = string.Empty, CleanSession = false });
        var connack = await client.ReceiveAsync<MqttConnAckPacket>();
        Assert.Equal(MqttReasonCode.ClientIdentifierNotValid, connack.ReasonCode);
        await client.ExpectClosedAsync();
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.0-1")]
    public async Task ClosesConnectionWhoseFirstPacketIsNotConnect()
    {
        await using var broker = TestBroker.Start();
        await using var client = broker.Open();
        await client.SendAsync(MqttPingReqPacket.Instance);
        var packets = await client.ExpectClosedAsync();
        Assert.Empty(packets);
    }

    [Fact]
    public async Task ClosesSocketThatNeverSendsConnect()
    {
        await using var broker = TestBroker.Start(o => o with { ConnectTimeout = TimeSpan.FromMilliseconds(200) });
        await using var client = broker.Open();
        var packets = await client.ExpectClosedAsync(3000);
        Assert.Empty(packets);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2-22")]
    public async Task KeepAliveTimeoutSendsV5Disconnect8D()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("ka", MqttProtocolVersion.V500, keepAlive: 1);
        var packets = await client.ExpectClosedAsync(4000);
        var disconnect = Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets));
        Assert.Equal(MqttReasonCode.KeepAliveTimeout, disconnect.ReasonCode);
    }

    [Fact]
    public async Task ClampsV5KeepAliveToServerMaximum()
    {
        await using var broker = TestBroker.Start(o => o with { MaxKeepAliveSeconds = 30 });
        await using var client = await broker.ConnectAsync("clamp", MqttProtocolVersion.V500, keepAlive: 0);
        Assert.Equal((ushort)30, client.ConnAck!.Properties!.ServerKeepAlive);
    }

    [Fact]
    public async Task RefusesV311KeepAliveAboveMaximum()
    {
        await using var broker = TestBroker.Start(o => o with { MaxKeepAliveSeconds = 30 });
        await using var client = broker.Open();
        await client.SendAsync(new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V311, ClientId = "k", CleanSession = true, KeepAliveSeconds = 31 });
        var connack = await client.ReceiveAsync<MqttConnAckPacket>();
        Assert.NotEqual(MqttReasonCode.Success, connack.ReasonCode);
    }

    [Fact]
    public async Task AnswersPingReqWithPingResp()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("ping");
        await client.SendAsync(MqttPingReqPacket.Instance);
        await client.ReceiveAsync<MqttPingRespPacket>();
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.0-2")]
    public async Task SecondConnectClosesTheConnection()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("twice", MqttProtocolVersion.V500);
        await client.SendAsync(new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "twice" });
        var packets = await client.ExpectClosedAsync();
        var disconnect = Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets));
        Assert.Equal(MqttReasonCode.ProtocolError, disconnect.ReasonCode);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.4-3")]
    public async Task TakeoverDisconnectsOldV5ConnectionWith8E()
    {
        await using var broker = TestBroker.Start();
        await using var first = await broker.ConnectAsync("same", MqttProtocolVersion.V500);
        await using var second = await broker.ConnectAsync("same", MqttProtocolVersion.V500);
        var packets = await first.ExpectClosedAsync();
        var disconnect = Assert.IsType<MqttDisconnectPacket>(Assert.Single(packets));
        Assert.Equal(MqttReasonCode.SessionTakenOver, disconnect.ReasonCode);
        await second.SendAsync(MqttPingReqPacket.Instance);
        await second.ReceiveAsync<MqttPingRespPacket>();
        Assert.Equal(1, broker.Server.SessionCount);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2-8")]
    public async Task WillIsPublishedWhenConnectionDropsButNotOnNormalDisconnect()
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await broker.ConnectAsync("watcher");
        await watcher.SubscribeAsync("wills/#", MqttQos.AtLeastOnce);

        var will = new MqttWillMessage { Topic = "wills/a", Payload = "gone"u8.ToArray(), Qos = MqttQos.AtLeastOnce };
        var polite = await broker.ConnectAsync("polite", will: will);
        await polite.DisconnectAsync();
        Assert.Null(await watcher.TryReceiveAsync(300));

        var rude = await broker.ConnectAsync("rude", will: will);
        await rude.DropAsync();
        var publish = await watcher.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("wills/a", publish.Topic);
        Assert.Equal("gone", Text(publish));
    }

    [Fact]
    public async Task V5DisconnectWithWillMessagePublishesTheWill()
    {
        await using var broker = TestBroker.Start();
        await using var watcher = await broker.ConnectAsync("watcher5");
        await watcher.SubscribeAsync("wills/#", MqttQos.AtMostOnce);
        var will = new MqttWillMessage { Topic = "wills/b", Payload = "bye"u8.ToArray(), Retain = true };
        var client = await broker.ConnectAsync("c5", MqttProtocolVersion.V500, will: will);
        await client.DisconnectAsync(MqttReasonCode.DisconnectWithWillMessage);
        var publish = await watcher.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("bye", Text(publish));

        // Retained will: a late subscriber gets it with RETAIN set.
        await using var late = await broker.ConnectAsync("late");
        await late.SubscribeAsync("wills/b", MqttQos.AtMostOnce);
        var retained = await late.ReceiveAsync<MqttPublishPacket>();
        Assert.True(retained.Retain);
    }

    [Fact]
    public async Task RefusesConnectBeforeServerStarted()
    {
        var server = new MqttServer(new MqttServerOptions());
        await using var client = TestClient.Open(server, MqttProtocolVersion.V500);
        await client.SendAsync(new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "early" });
        var connack = await client.ReceiveAsync<MqttConnAckPacket>();
        Assert.Equal(MqttReasonCode.ServerUnavailable, connack.ReasonCode);
    }

    internal static string Text(MqttPublishPacket publish) => System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(publish.Payload));

    [Fact]
    public async Task AFlappingClientIdIsRefusedWithConnectionRateExceeded()
    {
        await using var broker = TestBroker.Start(o => o with { Flapping = new Core.Security.FlappingDetector(2, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)) });
        for (var i = 0; i < 2; i++)
        {
            await using var ok = await broker.ConnectAsync("flappy", MqttProtocolVersion.V500);
            Assert.Equal(MqttReasonCode.Success, ok.ConnAck!.ReasonCode);
        }

        await using var refused = broker.Open(MqttProtocolVersion.V500);
        await refused.SendAsync(new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "flappy", CleanSession = true, KeepAliveSeconds = 60 });
        Assert.Equal(MqttReasonCode.ConnectionRateExceeded, (await refused.ReceiveAsync<MqttConnAckPacket>()).ReasonCode);
        await using var other = await broker.ConnectAsync("calm", MqttProtocolVersion.V311);
        Assert.Equal(MqttReasonCode.Success, other.ConnAck!.ReasonCode);
    }
}

namespace EdgeBroker.Mqtt.Tests.Server;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Limits;
using EdgeBroker.Mqtt.Codec;
using static EdgeBroker.Mqtt.Tests.Server.MqttConnectTests;

/// <summary>The publish gate in the MQTT read loop: the memory alarm and the message rate hold a publisher back.</summary>
[Trait("Category", "Conformance")]
public sealed class MqttPublishLimitTests
{
    private readonly ResourceAlarms _alarms = new();

    [Fact]
    public async Task TheMemoryAlarmHoldsAPublisherWhileSubscribersAreStillServed()
    {
        await using var broker = TestBroker.Start(o => o with { Publishing = new PublishLimits(_alarms, 0, 0, TimeProvider.System) });
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("plant/#", MqttQos.AtLeastOnce);
        await using var pub = await broker.ConnectAsync("pub");
        _alarms.RaiseMemoryAlarm("memory alarm: test");

        await pub.PublishAsync("plant/1", "held", MqttQos.AtLeastOnce, packetId: 1);
        await pub.SendAsync(new MqttPingReqPacket());

        // Nothing after the held PUBLISH is read: no PUBACK, not even the PINGRESP; nothing reaches the subscriber.
        Assert.Null(await pub.TryReceiveAsync(300));
        Assert.Null(await sub.TryReceiveAsync(50));
        Assert.Equal(MqttReasonCode.GrantedQos1, (await sub.SubscribeAsync("other/#", MqttQos.AtLeastOnce, packetId: 2)).ReasonCodes[0]);

        _alarms.ClearMemoryAlarm();

        // PINGRESP is answered by the read loop, PUBACK by the ack loop: both come, in either order.
        var answers = new[] { await pub.ReceiveAsync(), await pub.ReceiveAsync() };
        Assert.Single(answers.OfType<MqttPingRespPacket>());
        Assert.Equal((ushort)1, Assert.Single(answers.OfType<MqttPubAckPacket>()).PacketId);
        var delivered = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("held", Text(delivered));
    }

    [Fact]
    public async Task AHeldPublisherIsNotDisconnectedForKeepAlive()
    {
        await using var broker = TestBroker.Start(o => o with { Publishing = new PublishLimits(_alarms, 0, 0, TimeProvider.System) });
        await using var pub = await broker.ConnectAsync("pub", keepAlive: 1);
        _alarms.RaiseMemoryAlarm("memory alarm: test");

        await pub.PublishAsync("plant/1", "held", MqttQos.AtLeastOnce, packetId: 3);
        Assert.Null(await pub.TryReceiveAsync(2500)); // past 1.5 × keep-alive: the silence is the broker's

        _alarms.ClearMemoryAlarm();
        Assert.Equal((ushort)3, (await pub.ReceiveAsync<MqttPubAckPacket>()).PacketId);
        await pub.SendAsync(new MqttPingReqPacket());
        await pub.ReceiveAsync<MqttPingRespPacket>();
    }

    [Fact]
    public async Task APublisherOverItsMessageRateIsHeldThenServedInOrder()
    {
        // 1/s with a burst of 1: the 2nd and 3rd publish each wait about a second (a scheduling hiccup shorter than that
        // cannot let them through unheld).
        var limits = new PublishLimits(_alarms, messagesPerSecond: 1, burstMessages: 1, TimeProvider.System);
        await using var broker = TestBroker.Start(o => o with { Publishing = limits });
        await using var pub = await broker.ConnectAsync("pub");

        for (ushort id = 1; id <= 3; id++)
        {
            await pub.PublishAsync("plant/rate", "m" + id, MqttQos.AtLeastOnce, packetId: id);
        }

        // Every publish is answered, in order; none is dropped or refused, the later ones only wait for their tokens.
        for (ushort id = 1; id <= 3; id++)
        {
            var ack = await pub.ReceiveAsync<MqttPubAckPacket>();
            Assert.Equal(id, ack.PacketId);
            Assert.Equal(MqttReasonCode.Success, ack.ReasonCode);
        }

        Assert.InRange(limits.RateHeld, 1, 2);
        Assert.True(limits.RateHeldTime > TimeSpan.Zero);
    }
}

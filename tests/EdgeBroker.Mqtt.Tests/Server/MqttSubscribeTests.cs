namespace EdgeBroker.Mqtt.Tests.Server;

using EdgeBroker.Mqtt.Codec;
using static EdgeBroker.Mqtt.Tests.Server.MqttConnectTests;

[Trait("Category", "Conformance")]
public sealed class MqttSubscribeTests
{
    [Fact]
    [Trait("Spec", "MQTT-3.9.3-1")]
    public async Task AnswersEachFilterWithItsOwnReasonCode()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("c", MqttProtocolVersion.V500);
        await client.SendAsync(new MqttSubscribePacket
        {
            PacketId = 4,
            Subscriptions =
            [
                new MqttSubscription { TopicFilter = "ok/+", Qos = MqttQos.AtLeastOnce },
                new MqttSubscription { TopicFilter = "bad/#/x", Qos = MqttQos.AtLeastOnce },
                new MqttSubscription { TopicFilter = "fine", Qos = MqttQos.ExactlyOnce },
            ],
        });
        var suback = await client.ReceiveAsync<MqttSubAckPacket>();
        Assert.Equal([MqttReasonCode.GrantedQos1, MqttReasonCode.TopicFilterInvalid, MqttReasonCode.GrantedQos2], suback.ReasonCodes);
    }

    [Fact]
    public async Task V311InvalidFilterGetsFailureCode()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("c");
        var suback = await client.SubscribeAsync("a/#/b");
        Assert.Equal((MqttReasonCode)0x80, Assert.Single(suback.ReasonCodes));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.4-2")]
    public async Task OverlappingSubscriptionsGiveOneCopyAtHighestQosWithAllIdentifiers()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500);
        await sub.SubscribeAsync("o/+", MqttQos.AtMostOnce, 1, new MqttProperties { SubscriptionIdentifiers = [11] });
        await sub.SubscribeAsync("o/#", MqttQos.AtLeastOnce, 2, new MqttProperties { SubscriptionIdentifiers = [22] });
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("o/x", "m", MqttQos.AtLeastOnce, 1);
        var publish = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal(MqttQos.AtLeastOnce, publish.Qos);
        Assert.Equal([11u, 22u], publish.Properties!.SubscriptionIdentifiers!.Order());
        await sub.SendAsync(new MqttPubAckPacket { PacketId = publish.PacketId });
        Assert.Null(await sub.TryReceiveAsync(300));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.8.3-3")]
    public async Task NoLocalSuppressesOwnPublishes()
    {
        await using var broker = TestBroker.Start();
        await using var client = await broker.ConnectAsync("self", MqttProtocolVersion.V500);
        await client.SubscribeAsync("nl", MqttQos.AtMostOnce, noLocal: true);
        await client.PublishAsync("nl", "mine");
        await using var other = await broker.ConnectAsync("other");
        await other.PublishAsync("nl", "theirs");
        Assert.Equal("theirs", Text(await client.ReceiveAsync<MqttPublishPacket>()));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.1-9")]
    public async Task RetainedMessageIsSentOnSubscribeWithRetainFlag()
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("r/1", "kept", MqttQos.AtLeastOnce, 1, retain: true);
        await pub.ReceiveAsync<MqttPubAckPacket>();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("r/#", MqttQos.AtLeastOnce);
        var publish = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.True(publish.Retain);
        Assert.Equal("kept", Text(publish));

        // [MQTT-3.3.1-10] an empty retained payload clears it.
        await pub.PublishAsync("r/1", string.Empty, MqttQos.AtLeastOnce, 2, retain: true);
        await pub.ReceiveAsync<MqttPubAckPacket>();
        await using var late = await broker.ConnectAsync("late");
        await late.SubscribeAsync("r/#");
        Assert.Null(await late.TryReceiveAsync(300));
    }

    [Fact]
    public async Task LiveForwardingClearsRetainUnlessRetainAsPublished()
    {
        await using var broker = TestBroker.Start();
        await using var plain = await broker.ConnectAsync("plain", MqttProtocolVersion.V500);
        await plain.SubscribeAsync("rap", MqttQos.AtMostOnce);
        await using var rap = await broker.ConnectAsync("rap", MqttProtocolVersion.V500);
        await rap.SubscribeAsync("rap", MqttQos.AtMostOnce, retainAsPublished: true);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("rap", "r", retain: true);
        Assert.False((await plain.ReceiveAsync<MqttPublishPacket>()).Retain);
        Assert.True((await rap.ReceiveAsync<MqttPublishPacket>()).Retain);
    }

    [Theory]
    [InlineData(MqttRetainHandling.SendAtSubscribe, true, true)]
    [InlineData(MqttRetainHandling.SendAtSubscribeIfNew, true, false)]
    [InlineData(MqttRetainHandling.DoNotSend, false, false)]
    public async Task RetainHandlingDecidesRetainedOnSubscribe(MqttRetainHandling handling, bool first, bool again)
    {
        await using var broker = TestBroker.Start();
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("rh", "kept", MqttQos.AtLeastOnce, 1, retain: true);
        await pub.ReceiveAsync<MqttPubAckPacket>();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500);
        await sub.SubscribeAsync("rh", MqttQos.AtMostOnce, 1, retainHandling: handling);
        Assert.Equal(first, await sub.TryReceiveAsync(300) is MqttPublishPacket);
        await sub.SubscribeAsync("rh", MqttQos.AtMostOnce, 2, retainHandling: handling);
        Assert.Equal(again, await sub.TryReceiveAsync(300) is MqttPublishPacket);
    }

    [Fact]
    public async Task UnsubscribeStopsDeliveryAndReportsUnknownFilters()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub", MqttProtocolVersion.V500);
        await sub.SubscribeAsync("u", MqttQos.AtMostOnce);
        await sub.SendAsync(new MqttUnsubscribePacket { PacketId = 3, TopicFilters = ["u", "never"] });
        var unsuback = await sub.ReceiveAsync<MqttUnsubAckPacket>();
        Assert.Equal([MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted], unsuback.ReasonCodes);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("u", "x");
        Assert.Null(await sub.TryReceiveAsync(300));
    }

    [Fact]
    [Trait("Spec", "MQTT-4.8.2-3")]
    public async Task SharedSubscriptionSplitsMessagesBetweenMembers()
    {
        await using var broker = TestBroker.Start();
        await using var a = await broker.ConnectAsync("a");
        await using var b = await broker.ConnectAsync("b", MqttProtocolVersion.V500);
        await a.SubscribeAsync("$share/g/jobs/#", MqttQos.AtLeastOnce);
        await b.SubscribeAsync("$share/g/jobs/#", MqttQos.AtLeastOnce);
        await using var pub = await broker.ConnectAsync("pub");
        for (ushort i = 1; i <= 10; i++)
        {
            await pub.PublishAsync("jobs/" + i, "job" + i, MqttQos.AtLeastOnce, i);
            await pub.ReceiveAsync<MqttPubAckPacket>();
        }

        var received = new List<string>();
        foreach (var member in new[] { a, b })
        {
            while (await member.TryReceiveAsync(300) is MqttPublishPacket publish)
            {
                received.Add(Text(publish));
                await member.SendAsync(new MqttPubAckPacket { PacketId = publish.PacketId });
            }
        }

        Assert.Equal(Enumerable.Range(1, 10).Select(i => "job" + i).Order(), received.Order());
    }

    [Fact]
    public async Task SharedSubscriptionMessageUnackedByDroppedMemberGoesToAnother()
    {
        await using var broker = TestBroker.Start();
        var a = await broker.ConnectAsync("a");
        await a.SubscribeAsync("$share/g/work", MqttQos.AtLeastOnce);
        await using var pub = await broker.ConnectAsync("pub");
        await pub.PublishAsync("work", "w1", MqttQos.AtLeastOnce, 1);
        await pub.ReceiveAsync<MqttPubAckPacket>();
        Assert.Equal("w1", Text(await a.ReceiveAsync<MqttPublishPacket>()));
        await using var b = await broker.ConnectAsync("b");
        await b.SubscribeAsync("$share/g/work", MqttQos.AtLeastOnce);
        await a.DropAsync();
        var again = await b.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("w1", Text(again));
        Assert.True(again.Dup);
    }

    [Fact]
    public async Task LeadingWildcardDoesNotMatchDollarTopics()
    {
        await using var broker = TestBroker.Start();
        await using var sub = await broker.ConnectAsync("sub");
        await sub.SubscribeAsync("#", MqttQos.AtMostOnce);
        await broker.Server.PublishSysAsync();
        Assert.Null(await sub.TryReceiveAsync(300));
        await sub.SubscribeAsync("$SYS/broker/uptime", MqttQos.AtMostOnce, 2);
        var publish = await sub.ReceiveAsync<MqttPublishPacket>();
        Assert.Equal("$SYS/broker/uptime", publish.Topic);
    }
}

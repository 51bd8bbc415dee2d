namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using System.IO.Pipelines;
using EdgeBroker.Mqtt.Codec;

[Trait("Category", "Unit")]
public sealed class MqttPacketWriterTests
{
    [Fact]
    public async Task PacketsWrittenToAPipeAreReadBackByTheAdapterStyleLoop()
    {
        // Pipe segments are small (4 KiB by default), so the 50 KB payload really spans segments.
        var pipe = new Pipe();
        var payload = Enumerable.Range(0, 50_000).Select(i => (byte)i).ToArray();
        MqttPacket[] sent =
        [
            new MqttPublishPacket { Topic = "a/b", Qos = MqttQos.AtLeastOnce, PacketId = 1, Payload = new ReadOnlySequence<byte>(payload) },
            new MqttPubAckPacket { PacketId = 1, ReasonCode = MqttReasonCode.NoMatchingSubscribers },
            MqttPingReqPacket.Instance,
            new MqttDisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage },
        ];
        foreach (var packet in sent)
        {
            MqttPacketWriter.Write(pipe.Writer, packet, MqttProtocolVersion.V500);
        }

        await pipe.Writer.FlushAsync();
        await pipe.Writer.CompleteAsync();

        var received = new List<string>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            while (MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V500, MqttCodecLimits.Default, out var packet, out _))
            {
                // The adapter copies the payload here, before AdvanceTo releases the memory.
                received.Add(MqttCodec.Canonical(packet, MqttProtocolVersion.V500));
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.True(buffer.IsEmpty, "no truncated packet left");
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        Assert.Equal(sent.Select(p => MqttCodec.Canonical(p, MqttProtocolVersion.V500)), received);
    }

    [Fact]
    public void RefusesAStringLongerThan65535Bytes()
    {
        var packet = new MqttPublishPacket { Topic = new string('a', 65_536) };

        Assert.Throws<ArgumentException>(() => MqttPacketWriter.GetEncodedSize(packet, MqttProtocolVersion.V311));
    }

    [Fact]
    public void RefusesAuthBeforeV5AndAnUnknownVersion()
    {
        Assert.Throws<ArgumentException>(() => MqttPacketWriter.GetEncodedSize(new MqttAuthPacket(), MqttProtocolVersion.V311));
        Assert.Throws<ArgumentException>(() => MqttPacketWriter.GetEncodedSize(new MqttPubAckPacket { PacketId = 1 }, MqttProtocolVersion.Unknown));
    }

    [Fact]
    public void ConnectIsWrittenInItsOwnVersionWhateverTheSessionPasses()
    {
        var connect = new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V500, ClientId = "c" };

        Assert.Equal(
            Hex.Format(MqttCodec.Encode(connect, MqttProtocolVersion.V500)),
            Hex.Format(MqttCodec.Encode(connect, MqttProtocolVersion.V311)));
    }

    [Fact]
    public void V3SubscribeDropsV5OnlyOptionBits()
    {
        var subscribe = new MqttSubscribePacket
        {
            PacketId = 1,
            Subscriptions = [new MqttSubscription { TopicFilter = "a", Qos = MqttQos.AtLeastOnce, NoLocal = true, RetainHandling = MqttRetainHandling.DoNotSend }],
        };

        Assert.Equal("8206000100016101", Hex.Format(MqttCodec.Encode(subscribe, MqttProtocolVersion.V311)));
        Assert.Equal("820700010000016125", Hex.Format(MqttCodec.Encode(subscribe, MqttProtocolVersion.V500)));
    }
}

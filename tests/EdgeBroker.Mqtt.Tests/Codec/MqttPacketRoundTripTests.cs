namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;

[Trait("Category", "Unit")]
public sealed class MqttPacketRoundTripTests
{
    [Theory]
    [MemberData(nameof(MqttSamplePackets.Names), MemberType = typeof(MqttSamplePackets))]
    public void DecodingThenEncodingGivesTheSameBytes(string name)
    {
        var sample = MqttSamplePackets.Get(name);

        var decoded = MqttCodec.DecodeSingle(sample.Bytes, sample.ReadVersion);

        Assert.Equal(sample.Packet.PacketType, decoded.PacketType);
        Assert.Equal(sample.Packet.GetType(), decoded.GetType());
        Assert.Equal(Hex.Format(sample.Bytes), MqttCodec.Canonical(decoded, sample.Version));
    }

    [Fact]
    public void CatalogueCoversEveryPacketTypeInEveryVersionItExistsIn()
    {
        foreach (var version in new[] { MqttProtocolVersion.V310, MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var types = MqttSamplePackets.All.Where(s => s.Version == version).Select(s => s.Packet.PacketType).ToHashSet();
            foreach (var type in Enum.GetValues<MqttPacketType>())
            {
                if (type != MqttPacketType.Auth || version == MqttProtocolVersion.V500)
                {
                    Assert.Contains(type, types);
                }
            }
        }
    }

    [Fact]
    public void DecodesPublishFieldsAndSlicesThePayload()
    {
        var sample = MqttSamplePackets.Get("V500-publish-properties");

        var p = Assert.IsType<MqttPublishPacket>(MqttCodec.DecodeSingle(sample.Bytes, MqttProtocolVersion.V500));

        Assert.Equal("t", p.Topic);
        Assert.Equal(MqttQos.AtLeastOnce, p.Qos);
        Assert.Equal(3, p.PacketId);
        Assert.Equal("{\"x\":1}"u8.ToArray(), p.Payload.ToArray());
        Assert.NotNull(p.Properties);
        Assert.Equal(MqttPayloadFormatIndicator.Utf8, p.Properties.PayloadFormatIndicator);
        Assert.Equal((ushort)4, p.Properties.TopicAlias);
        Assert.Equal([1u, 268_435_455u], p.Properties.SubscriptionIdentifiers!);
        Assert.Equal([new MqttUserProperty("u", "1"), new MqttUserProperty("u", "2")], p.Properties.UserProperties!);
        Assert.Equal("application/json", p.Properties.ContentType);
    }

    [Fact]
    public void DecodesConnectFieldsIncludingWillAndCredentials()
    {
        var sample = MqttSamplePackets.Get("V311-connect-full");

        var c = Assert.IsType<MqttConnectPacket>(MqttCodec.DecodeSingle(sample.Bytes, MqttProtocolVersion.Unknown));

        Assert.Equal(MqttProtocolVersion.V311, c.ProtocolVersion);
        Assert.False(c.CleanSession);
        Assert.Equal(65535, c.KeepAliveSeconds);
        Assert.Equal("sensor-\u00e9\u4e2d", c.ClientId);
        Assert.NotNull(c.Will);
        Assert.Equal("will/topic", c.Will.Topic);
        Assert.Equal(MqttQos.ExactlyOnce, c.Will.Qos);
        Assert.True(c.Will.Retain);
        Assert.Equal("bye"u8.ToArray(), c.Will.Payload.ToArray());
        Assert.Equal("user", c.UserName);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, c.Password!.Value.ToArray());
    }

    [Fact]
    public void V3ConnAckCarriesReturnCodesMappedFromReasonCodes()
    {
        var bytes = MqttCodec.Encode(new MqttConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword }, MqttProtocolVersion.V311);

        Assert.Equal("20020004", Hex.Format(bytes));
        var decoded = Assert.IsType<MqttConnAckPacket>(MqttCodec.DecodeSingle(bytes, MqttProtocolVersion.V311));
        Assert.Equal(MqttReasonCode.BadUserNameOrPassword, decoded.ReasonCode);
    }

    [Fact]
    public void LargePayloadIsWrittenInChunksAndReadBack()
    {
        var payload = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        var packet = new MqttPublishPacket { Topic = "big/payload", Qos = MqttQos.AtLeastOnce, PacketId = 9, Payload = new ReadOnlySequence<byte>(payload) };

        // A small-segment pipe-like writer: the payload cannot be written in one span.
        var output = new ArrayBufferWriter<byte>(256);
        var written = MqttPacketWriter.Write(output, packet, MqttProtocolVersion.V311);

        Assert.Equal(MqttPacketWriter.GetEncodedSize(packet, MqttProtocolVersion.V311), written);
        var decoded = Assert.IsType<MqttPublishPacket>(MqttCodec.DecodeSingle(output.WrittenSpan.ToArray(), MqttProtocolVersion.V311));
        Assert.Equal(payload, decoded.Payload.ToArray());
    }

    [Fact]
    public void ReadsBackToBackPacketsFromOneBuffer()
    {
        var samples = MqttSamplePackets.All.Where(s => s.Version == MqttProtocolVersion.V500 && s.Packet is not MqttConnectPacket).ToList();
        var stream = samples.SelectMany(s => s.Bytes).ToArray();
        var buffer = SegmentedSequence.Create(stream, stream.Length / 3, stream.Length / 2);

        var decoded = new List<string>();
        while (MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V500, MqttCodecLimits.Default, out var packet, out _))
        {
            decoded.Add(MqttCodec.Canonical(packet, MqttProtocolVersion.V500));
        }

        Assert.True(buffer.IsEmpty);
        Assert.Equal(samples.Select(s => Hex.Format(s.Bytes)), decoded);
    }
}

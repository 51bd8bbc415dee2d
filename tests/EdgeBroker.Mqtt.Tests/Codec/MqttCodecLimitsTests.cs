namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;

/// <summary>Limits are enforced from the fixed header alone, before any body is buffered.</summary>
[Trait("Category", "Unit")]
public sealed class MqttCodecLimitsTests
{
    [Fact]
    public void RejectsA200MegabytePublishFromItsFixedHeaderAlone()
    {
        // 0x30, remaining length 209,715,200 = 100 << 21 -> 80 80 80 64. No body follows.
        var buffer = new ReadOnlySequence<byte>(Hex.Parse("30 80 80 80 64"));

        var ex = Assert.Throws<MqttProtocolException>(() =>
            MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V311, MqttCodecLimits.Default, out _, out _));

        Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);
    }

    [Fact]
    public void PreConnectLimitRejectsAConnectThatTheDefaultLimitWouldWaitFor()
    {
        // CONNECT declaring 70,000 bytes: 70000 = 0x70 + (0x22 << 7) + (0x04 << 14) -> F0 A2 04.
        var header = Hex.Parse("10 F0 A2 04");

        var preConnect = new ReadOnlySequence<byte>(header);
        var ex = Assert.Throws<MqttProtocolException>(() =>
            MqttPacketReader.TryRead(ref preConnect, MqttProtocolVersion.Unknown, MqttCodecLimits.PreConnect, out _, out _));
        Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);

        var postConnect = new ReadOnlySequence<byte>(header);
        Assert.False(MqttPacketReader.TryRead(ref postConnect, MqttProtocolVersion.Unknown, MqttCodecLimits.Default, out _, out _));
    }

    [Fact]
    public void PacketOfExactlyTheLimitIsAcceptedAndOneByteMoreIsNot()
    {
        var limits = new MqttCodecLimits(1000);
        var exact = PublishOfTotalSize(1000);
        var tooBig = PublishOfTotalSize(1001);

        Assert.IsType<MqttPublishPacket>(MqttCodec.DecodeSingle(exact, MqttProtocolVersion.V311, limits));
        var buffer = new ReadOnlySequence<byte>(tooBig, 0, 3);
        var ex = Assert.Throws<MqttProtocolException>(() =>
            MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V311, limits, out _, out _));
        Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);
    }

    [Fact]
    public void CapsTheNumberOfUserPropertiesPerBlock()
    {
        var properties = new MqttProperties { UserProperties = Enumerable.Range(0, 129).Select(i => new MqttUserProperty("k", i.ToString())).ToList() };
        var bytes = MqttCodec.Encode(new MqttPublishPacket { Topic = "t", Properties = properties }, MqttProtocolVersion.V500);

        var buffer = new ReadOnlySequence<byte>(bytes);
        var ex = Assert.Throws<MqttProtocolException>(() =>
            MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V500, MqttCodecLimits.Default, out _, out _));
        Assert.Equal(MqttReasonCode.ImplementationSpecificError, ex.ReasonCode);

        var relaxed = new MqttCodecLimits(1024 * 1024) { MaxUserProperties = 129 };
        var decoded = Assert.IsType<MqttPublishPacket>(MqttCodec.DecodeSingle(bytes, MqttProtocolVersion.V500, relaxed));
        Assert.Equal(129, decoded.Properties!.UserProperties!.Count);
    }

    [Fact]
    public void CapsThePropertyBlockSizeBeforeReadingIt()
    {
        var properties = new MqttProperties { ContentType = new string('a', 17_000) };
        var bytes = MqttCodec.Encode(new MqttPublishPacket { Topic = "t", Properties = properties }, MqttProtocolVersion.V500);

        var buffer = new ReadOnlySequence<byte>(bytes);
        var ex = Assert.Throws<MqttProtocolException>(() =>
            MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V500, MqttCodecLimits.Default, out _, out _));
        Assert.Equal(MqttReasonCode.PacketTooLarge, ex.ReasonCode);

        var relaxed = new MqttCodecLimits(1024 * 1024) { MaxPropertyLength = 20_000 };
        Assert.IsType<MqttPublishPacket>(MqttCodec.DecodeSingle(bytes, MqttProtocolVersion.V500, relaxed));
    }

    [Fact]
    public void IncompleteRemainingLengthNeedsMoreBytes()
    {
        var buffer = new ReadOnlySequence<byte>(Hex.Parse("30 80 80"));

        Assert.False(MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V311, MqttCodecLimits.Default, out _, out _));
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.4.1")]
    public void FixedSizePacketWithHugeDeclaredLengthFailsBeforeTheBody()
    {
        // A 3.1.1 PUBACK is always 2 bytes of body; 2 MB declared is malformed at once.
        var buffer = new ReadOnlySequence<byte>(Hex.Parse("40 80 80 80 01"));

        var ex = Assert.Throws<MqttProtocolException>(() =>
            MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.V311, MqttCodecLimits.Default, out _, out _));

        Assert.Equal(MqttReasonCode.MalformedPacket, ex.ReasonCode);
    }

    [Fact]
    public void RejectsLimitsOutsideWhatTheWireCanCarry()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MqttCodecLimits(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MqttCodecLimits(MqttCodecLimits.ProtocolMaximumPacketSize + 1));
        Assert.Equal(64 * 1024, MqttCodecLimits.PreConnect.MaxPacketSize);
        Assert.Equal(1024 * 1024, MqttCodecLimits.Default.MaxPacketSize);
        Assert.Equal(16 * 1024, MqttCodecLimits.Default.MaxPropertyLength);
        Assert.Equal(128, MqttCodecLimits.Default.MaxUserProperties);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MqttCodecLimits(100) { MaxUserProperties = -1 });
    }

    [Fact]
    public void EncodedSizeLetsASessionHonourAPeersMaximumPacketSize()
    {
        var packet = new MqttPublishPacket { Topic = "a/b", Qos = MqttQos.AtLeastOnce, PacketId = 1, Payload = new ReadOnlySequence<byte>(new byte[100]) };

        // 1 type byte + 1 length byte + (2 + 3 topic) + 2 packet id + 1 property length + 100.
        Assert.Equal(110, MqttPacketWriter.GetEncodedSize(packet, MqttProtocolVersion.V500));
        Assert.Equal(109, MqttPacketWriter.GetEncodedSize(packet, MqttProtocolVersion.V311));
    }

    [Fact]
    public void DecodingAQos1PublishAllocatesOnlyThePacketAndTheTopic()
    {
        var bytes = MqttCodec.Encode(
            new MqttPublishPacket { Topic = "sensors/room1/temp", Qos = MqttQos.AtLeastOnce, PacketId = 5, Payload = new ReadOnlySequence<byte>(new byte[512]) },
            MqttProtocolVersion.V311);
        var input = new ReadOnlySequence<byte>(bytes);
        DecodeOnce(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            DecodeOnce(input);
        }

        var perPacket = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // Packet object (~72 B) + an 18-char string (~64 B); no payload copy, no properties.
        Assert.InRange(perPacket, 1, 160);
    }

    private static void DecodeOnce(ReadOnlySequence<byte> input)
    {
        if (!MqttPacketReader.TryRead(ref input, MqttProtocolVersion.V311, MqttCodecLimits.Default, out var packet, out _) || packet is not MqttPublishPacket)
        {
            throw new InvalidOperationException("decode failed");
        }
    }

    private static byte[] PublishOfTotalSize(int total)
    {
        // Fixed header is 3 bytes for 128..16383; body = topic (2 + 1) + payload.
        var payload = new byte[total - 3 - 3];
        var bytes = MqttCodec.Encode(new MqttPublishPacket { Topic = "t", Payload = new ReadOnlySequence<byte>(payload) }, MqttProtocolVersion.V311);
        Assert.Equal(total, bytes.Length);
        return bytes;
    }
}

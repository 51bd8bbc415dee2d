namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;

/// <summary>Test shortcuts over the reader and writer.</summary>
internal static class MqttCodec
{
    public static byte[] Encode(MqttPacket packet, MqttProtocolVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = MqttPacketWriter.Write(output, packet, version);
        Assert.Equal(written, output.WrittenCount);
        Assert.Equal(written, MqttPacketWriter.GetEncodedSize(packet, version));
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes exactly one packet that must fill the whole sequence.</summary>
    public static MqttPacket DecodeSingle(ReadOnlySequence<byte> sequence, MqttProtocolVersion version, MqttCodecLimits? limits = null)
    {
        var buffer = sequence;
        Assert.True(MqttPacketReader.TryRead(ref buffer, version, limits ?? MqttCodecLimits.Default, out var packet, out var consumed));
        Assert.True(buffer.IsEmpty, "the packet must consume the whole input");
        Assert.Equal(sequence.End, consumed);
        return packet;
    }

    public static MqttPacket DecodeSingle(byte[] bytes, MqttProtocolVersion version, MqttCodecLimits? limits = null) =>
        DecodeSingle(new ReadOnlySequence<byte>(bytes), version, limits);

    /// <summary>Decode then re-encode: the canonical form used to compare decoding results.</summary>
    public static string Canonical(MqttPacket packet, MqttProtocolVersion version) => Hex.Format(Encode(packet, version));

    /// <summary>The version a decoder should be given for these bytes: CONNECT is read pre-CONNECT.</summary>
    public static MqttProtocolVersion ReadVersion(MqttPacket packet, MqttProtocolVersion version) =>
        packet is MqttConnectPacket ? MqttProtocolVersion.Unknown : version;
}

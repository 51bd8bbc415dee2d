namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>
/// Encodes packets for MQTT 3.1, 3.1.1 and 5.0. Stateless and thread-safe.
/// <para>
/// The remaining length is computed first, then the packet is written straight into the span of
/// an <see cref="IBufferWriter{T}"/> (a <c>PipeWriter</c>): one GetSpan/Advance for everything but
/// a large PUBLISH payload, which is copied in chunks so a big payload never asks the pipe for one
/// huge contiguous span. <see cref="GetEncodedSize"/> gives the exact size without writing, so a
/// session can honour a peer's Maximum Packet Size before it commits to sending.
/// </para>
/// <para>
/// The writer does not police semantics (a test client may send a packet id 0, a misplaced
/// property, DUP on QoS 0...); it only refuses what cannot be encoded at all (a string over
/// 65,535 bytes, a packet over 268,435,455 bytes, AUTH before v5) with an
/// <see cref="ArgumentException"/>.
/// </para>
/// </summary>
public static partial class MqttPacketWriter
{
    /// <summary>Payloads up to this size are written in the same span as the header.</summary>
    private const int InlinePayloadLimit = 16 * 1024;

    /// <summary>Total bytes the packet takes on the wire, fixed header included.</summary>
    public static int GetEncodedSize(MqttPacket packet, MqttProtocolVersion protocolVersion)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var remaining = GetRemainingLength(packet, EffectiveVersion(packet, protocolVersion));
        return 1 + MqttVariableByteInteger.GetSize(remaining) + remaining;
    }

    /// <summary>Writes the packet and returns the number of bytes written.</summary>
    /// <param name="protocolVersion">The negotiated version; ignored for CONNECT, which carries its own.</param>
    public static int Write(IBufferWriter<byte> output, MqttPacket packet, MqttProtocolVersion protocolVersion)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var version = EffectiveVersion(packet, protocolVersion);
        var remaining = GetRemainingLength(packet, version);
        var total = 1 + MqttVariableByteInteger.GetSize(remaining) + remaining;

        var publish = packet as MqttPublishPacket;
        var outOfLinePayload = publish is not null && publish.Payload.Length > InlinePayloadLimit;
        var firstChunk = outOfLinePayload ? total - (int)publish!.Payload.Length : total;

        var writer = new MqttSpanWriter(output.GetSpan(firstChunk)[..firstChunk]);
        writer.WriteByte(GetFirstByte(packet));
        writer.WriteVariableByteInteger(remaining);
        WriteBody(ref writer, packet, version, writePayload: !outOfLinePayload);
        if (writer.Position != firstChunk)
        {
            throw new InvalidOperationException($"{packet.PacketType} encoder wrote {writer.Position} bytes, expected {firstChunk}.");
        }

        output.Advance(firstChunk);
        if (outOfLinePayload)
        {
            CopyInChunks(output, publish!.Payload);
        }

        return total;
    }

    private static MqttProtocolVersion EffectiveVersion(MqttPacket packet, MqttProtocolVersion version)
    {
        if (packet is MqttConnectPacket connect)
        {
            version = connect.ProtocolVersion;
        }

        if (version is not (MqttProtocolVersion.V310 or MqttProtocolVersion.V311 or MqttProtocolVersion.V500))
        {
            throw new ArgumentException($"Cannot encode for protocol version {version}.", nameof(version));
        }

        if (packet is MqttAuthPacket && version != MqttProtocolVersion.V500)
        {
            throw new ArgumentException("AUTH exists only in MQTT 5.", nameof(packet));
        }

        return version;
    }

    private static byte GetFirstByte(MqttPacket packet)
    {
        var first = (byte)((int)packet.PacketType << 4);
        return packet switch
        {
            MqttPublishPacket p => (byte)(first | (p.Dup ? 0x08 : 0) | ((int)p.Qos << 1) | (p.Retain ? 0x01 : 0)),

            // [MQTT-2.1.3-1] PUBREL, SUBSCRIBE and UNSUBSCRIBE carry flags 0010.
            MqttPubRelPacket or MqttSubscribePacket or MqttUnsubscribePacket => (byte)(first | 0x02),
            _ => first,
        };
    }

    private static int GetRemainingLength(MqttPacket packet, MqttProtocolVersion version)
    {
        long length = packet switch
        {
            MqttConnectPacket p => GetConnectSize(p),
            MqttConnAckPacket p => GetConnAckSize(p, version),
            MqttPublishPacket p => GetPublishSize(p, version),
            MqttAckPacket p => GetAckSize(p, version),
            MqttSubscribePacket p => GetSubscribeSize(p, version),
            MqttSubAckPacket p => GetSubAckSize(p, version),
            MqttUnsubscribePacket p => GetUnsubscribeSize(p, version),
            MqttUnsubAckPacket p => GetUnsubAckSize(p, version),
            MqttPingReqPacket or MqttPingRespPacket => 0,
            MqttDisconnectPacket p => GetReasonAndPropertiesSize(p.ReasonCode, p.Properties, version, lengthOptional: true),
            MqttAuthPacket p => GetReasonAndPropertiesSize(p.ReasonCode, p.Properties, version, lengthOptional: false),
            _ => throw new ArgumentException($"Unknown packet class {packet.GetType().Name}.", nameof(packet)),
        };
        if (length > MqttVariableByteInteger.MaxValue)
        {
            throw new ArgumentException($"{packet.PacketType} of {length} bytes exceeds the MQTT maximum remaining length.", nameof(packet));
        }

        return (int)length;
    }

    private static void WriteBody(ref MqttSpanWriter writer, MqttPacket packet, MqttProtocolVersion version, bool writePayload)
    {
        switch (packet)
        {
            case MqttConnectPacket p: WriteConnect(ref writer, p); break;
            case MqttConnAckPacket p: WriteConnAck(ref writer, p, version); break;
            case MqttPublishPacket p: WritePublish(ref writer, p, version, writePayload); break;
            case MqttAckPacket p: WriteAck(ref writer, p, version); break;
            case MqttSubscribePacket p: WriteSubscribe(ref writer, p, version); break;
            case MqttSubAckPacket p: WriteSubAck(ref writer, p, version); break;
            case MqttUnsubscribePacket p: WriteUnsubscribe(ref writer, p, version); break;
            case MqttUnsubAckPacket p: WriteUnsubAck(ref writer, p, version); break;
            case MqttDisconnectPacket p: WriteReasonAndProperties(ref writer, p.ReasonCode, p.Properties, version, lengthOptional: true); break;
            case MqttAuthPacket p: WriteReasonAndProperties(ref writer, p.ReasonCode, p.Properties, version, lengthOptional: false); break;
            default: break; // PINGREQ, PINGRESP: no body.
        }
    }

    private static void CopyInChunks(IBufferWriter<byte> output, in ReadOnlySequence<byte> payload)
    {
        foreach (var segment in payload)
        {
            var source = segment.Span;
            while (!source.IsEmpty)
            {
                var destination = output.GetSpan();
                var count = Math.Min(destination.Length, source.Length);
                source[..count].CopyTo(destination);
                output.Advance(count);
                source = source[count..];
            }
        }
    }
}

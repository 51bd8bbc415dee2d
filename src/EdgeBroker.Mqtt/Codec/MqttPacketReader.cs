namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;
using System.Diagnostics.CodeAnalysis;

/// <summary>
/// Decodes MQTT 3.1, 3.1.1 and 5.0 packets from a <see cref="ReadOnlySequence{T}"/>: a pure
/// function of bytes (STYLE.md example 4). Stateless and thread-safe.
/// <para>
/// Contract: <see cref="TryRead"/> returns false only when more bytes are needed, and throws only
/// <see cref="MqttProtocolException"/>. The declared remaining length is checked against
/// <see cref="MqttCodecLimits"/> as soon as the fixed header is complete, before the body is
/// waited for or touched, so a peer cannot make the pipe buffer a huge body.
/// </para>
/// <para>
/// Allocation budget: a QoS 0/1 PUBLISH without v5 properties allocates the packet object and the
/// topic string only (the payload is a slice of the input). A topic intern cache can later remove
/// the string; v5 properties allocate one <see cref="MqttProperties"/> when present.
/// </para>
/// </summary>
public static partial class MqttPacketReader
{
    /// <summary>
    /// Reads one packet from the front of <paramref name="buffer"/>. On success the packet is
    /// returned, <paramref name="buffer"/> is advanced past it and <paramref name="consumed"/> is
    /// the position just after it (equal to the new <c>buffer.Start</c>, so
    /// <c>buffer.Slice(consumed)</c> is harmless). On false nothing is consumed:
    /// <paramref name="consumed"/> is <c>buffer.Start</c> and the whole buffer was examined.
    /// </summary>
    /// <param name="protocolVersion">The version CONNECT negotiated, or
    /// <see cref="MqttProtocolVersion.Unknown"/> before it, when only CONNECT is accepted.</param>
    public static bool TryRead(
        ref ReadOnlySequence<byte> buffer,
        MqttProtocolVersion protocolVersion,
        MqttCodecLimits limits,
        [NotNullWhen(true)] out MqttPacket? packet,
        out SequencePosition consumed)
    {
        ArgumentNullException.ThrowIfNull(limits);
        packet = null;
        consumed = buffer.Start;
        try
        {
            if (!TryReadFixedHeader(buffer, protocolVersion, limits, out var header))
            {
                return false;
            }

            var total = (long)header.HeaderLength + header.RemainingLength;
            if (buffer.Length < total)
            {
                return false;
            }

            var body = new SequenceReader<byte>(buffer.Slice(header.HeaderLength, header.RemainingLength));
            packet = ReadBody(header, ref body, protocolVersion, limits);

            consumed = buffer.GetPosition(total);
            buffer = buffer.Slice(consumed);
            return true;
        }
        catch (MqttProtocolException ex) when (ex.ProtocolVersion == MqttProtocolVersion.Unknown)
        {
            // One mapper in the session decides the answer; it needs to know the version spoken.
            ex.ProtocolVersion = protocolVersion;
            throw;
        }
    }

    private static MqttPacket ReadBody(in MqttFixedHeader header, ref SequenceReader<byte> body, MqttProtocolVersion version, MqttCodecLimits limits) =>
        header.PacketType switch
        {
            MqttPacketType.Connect => ReadConnect(ref body, limits),
            MqttPacketType.ConnAck => ReadConnAck(ref body, version, limits),
            MqttPacketType.Publish => ReadPublish(header.Flags, ref body, version, limits),
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp =>
                ReadAck(header.PacketType, ref body, version, limits),
            MqttPacketType.Subscribe => ReadSubscribe(ref body, version, limits),
            MqttPacketType.SubAck => ReadSubAck(ref body, version, limits),
            MqttPacketType.Unsubscribe => ReadUnsubscribe(ref body, version, limits),
            MqttPacketType.UnsubAck => ReadUnsubAck(ref body, version, limits),
            MqttPacketType.PingReq => MqttPingReqPacket.Instance,
            MqttPacketType.PingResp => MqttPingRespPacket.Instance,
            MqttPacketType.Disconnect => ReadDisconnect(ref body, version, limits),
            _ => ReadAuth(ref body, limits),
        };

    /// <summary>
    /// Decodes and checks the fixed header. Throws as soon as the bytes seen are invalid, even if
    /// the header is not complete yet; returns false if it is incomplete and valid so far.
    /// <code>
    /// byte 1       type (7-4) · flags (3-0)
    /// bytes 2..5   remaining length, variable byte integer, 1..4 bytes
    /// </code>
    /// </summary>
    private static bool TryReadFixedHeader(
        in ReadOnlySequence<byte> buffer, MqttProtocolVersion version, MqttCodecLimits limits, out MqttFixedHeader header)
    {
        header = default;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryRead(out var first))
        {
            return false;
        }

        var type = (MqttPacketType)(first >> 4);
        var flags = (byte)(first & 0x0F);
        CheckTypeAndFlags(type, flags, version);

        var remaining = 0;
        for (var i = 0; ; i++)
        {
            if (i == 4)
            {
                throw MqttProtocolException.Malformed("Remaining length is longer than 4 bytes.");
            }

            if (!reader.TryRead(out var b))
            {
                return false;
            }

            remaining |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                // [MQTT-1.5.5-1] (v5) the encoding must use the minimum number of bytes.
                if (version == MqttProtocolVersion.V500 && i > 0 && b == 0)
                {
                    throw MqttProtocolException.Malformed("[MQTT-1.5.5-1] remaining length is not minimally encoded.");
                }

                header = new MqttFixedHeader(type, flags, 2 + i, remaining);
                break;
            }
        }

        CheckFixedLength(type, version, remaining);

        // Checked before the body is awaited: the pipe never buffers more than the limit.
        if ((long)header.HeaderLength + remaining > limits.MaxPacketSize)
        {
            throw new MqttProtocolException(
                MqttReasonCode.PacketTooLarge,
                $"{type} declares {header.HeaderLength + (long)remaining} bytes; the limit is {limits.MaxPacketSize}.");
        }

        return true;
    }

    private static void CheckTypeAndFlags(MqttPacketType type, byte flags, MqttProtocolVersion version)
    {
        if (type == 0 || (type == MqttPacketType.Auth && version != MqttProtocolVersion.V500))
        {
            throw MqttProtocolException.Malformed($"Packet type {(int)type} is reserved in this protocol version.");
        }

        if (version == MqttProtocolVersion.Unknown && type != MqttPacketType.Connect)
        {
            throw MqttProtocolException.ProtocolViolation($"[MQTT-3.1.0-1] the first packet must be CONNECT, not {type}.");
        }

        switch (type)
        {
            case MqttPacketType.Publish:
                var qos = (flags >> 1) & 0x03;
                if (qos == 3)
                {
                    throw MqttProtocolException.Malformed("[MQTT-3.3.1-4] PUBLISH with QoS 3.");
                }

                if (qos == 0 && (flags & 0x08) != 0)
                {
                    // [MQTT-3.3.1-2] DUP must be 0 for QoS 0. v5 calls it malformed.
                    throw new MqttProtocolException(
                        version == MqttProtocolVersion.V500 ? MqttReasonCode.MalformedPacket : MqttReasonCode.ProtocolError,
                        "[MQTT-3.3.1-2] PUBLISH with DUP set and QoS 0.");
                }

                return;

            case MqttPacketType.PubRel or MqttPacketType.Subscribe or MqttPacketType.Unsubscribe:
                // [MQTT-2.1.3-1] flags are 0010. 3.1 clients may also set DUP on a retried packet.
                var expected = version == MqttProtocolVersion.V310 ? (flags & 0x07) : flags;
                if (expected != 0x02)
                {
                    throw MqttProtocolException.Malformed($"[MQTT-2.1.3-1] {type} fixed-header flags must be 0010.");
                }

                return;

            default:
                if (flags != 0)
                {
                    throw MqttProtocolException.Malformed($"[MQTT-2.1.3-1] {type} fixed-header flags must be 0000.");
                }

                return;
        }
    }

    /// <summary>Packets whose size is fixed by the version are rejected from the header alone.</summary>
    private static void CheckFixedLength(MqttPacketType type, MqttProtocolVersion version, int remaining)
    {
        var v5 = version == MqttProtocolVersion.V500;
        int? exact = type switch
        {
            MqttPacketType.PingReq or MqttPacketType.PingResp => 0,
            MqttPacketType.Disconnect when !v5 => 0,
            MqttPacketType.ConnAck or MqttPacketType.UnsubAck when !v5 => 2,
            MqttPacketType.PubAck or MqttPacketType.PubRec or MqttPacketType.PubRel or MqttPacketType.PubComp when !v5 => 2,
            _ => null,
        };
        if (exact is { } length && remaining != length)
        {
            throw MqttProtocolException.Malformed($"{type} must have remaining length {length}, not {remaining}.");
        }
    }

    private static void CheckPacketId(ushort packetId, MqttPacketType type)
    {
        if (packetId == 0)
        {
            // [MQTT-2.2.1-3] (3.1.1: [MQTT-2.3.1-1]) a packet identifier must be non-zero.
            throw MqttProtocolException.ProtocolViolation($"[MQTT-2.2.1-3] {type} with packet identifier 0.");
        }
    }

    private static void CheckReasonCode(MqttPacketType type, MqttProtocolVersion version, byte code)
    {
        if (!MqttReasonCodeRules.IsAllowed(type, version, code))
        {
            throw MqttProtocolException.ProtocolViolation($"Reason code 0x{code:X2} is not defined for {type}.");
        }
    }
}

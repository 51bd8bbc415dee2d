namespace EdgeBroker.Bench.Wire;

using System.Buffers.Binary;
using System.Text;

/// <summary>
/// The few MQTT 3.1.1 / 5.0 client packets the load tool needs, encoded straight into a span, and a
/// decoder of what a broker sends back. MQTT 5 packets carry empty property lists; the only property read
/// is CONNACK's Receive Maximum (it bounds the tool's in-flight window). Stateless.
/// <code>
///  fixed header: type&lt;&lt;4 | flags, remaining length (variable byte integer, 1-4 bytes)
///  PUBLISH:  topic (u16 len + utf8) [packet id u16 if qos&gt;0] [v5: properties length 0] payload
/// </code>
/// </summary>
public static class MqttWire
{
    public const byte Connect = 1;
    public const byte ConnAck = 2;
    public const byte Publish = 3;
    public const byte PubAck = 4;
    public const byte PubRec = 5;
    public const byte PubRel = 6;
    public const byte PubComp = 7;
    public const byte Subscribe = 8;
    public const byte SubAck = 9;
    public const byte PingResp = 13;
    public const byte Disconnect = 14;

    private const byte ReceiveMaximumProperty = 0x21;

    public static int VarIntSize(int value) => value < 128 ? 1 : value < 16384 ? 2 : value < 2097152 ? 3 : 4;

    public static int WriteVarInt(Span<byte> span, int value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            span[i++] = value > 0 ? (byte)(b | 0x80) : b;
        }
        while (value > 0);
        return i;
    }

    public static int PublishSize(int topicLength, int payloadLength, int qos, bool v5)
    {
        var remaining = 2 + topicLength + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payloadLength;
        return 1 + VarIntSize(remaining) + remaining;
    }

    /// <summary>Writes a PUBLISH header (everything before the payload); the caller writes the payload right after. Returns bytes written.</summary>
    public static int WritePublishHeader(Span<byte> span, ReadOnlySpan<byte> topic, int payloadLength, int qos, ushort packetId, bool v5)
    {
        var remaining = 2 + topic.Length + (qos > 0 ? 2 : 0) + (v5 ? 1 : 0) + payloadLength;
        span[0] = (byte)((Publish << 4) | (qos << 1));
        var i = 1 + WriteVarInt(span[1..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], (ushort)topic.Length);
        i += 2;
        topic.CopyTo(span[i..]);
        i += topic.Length;
        if (qos > 0)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[i..], packetId);
            i += 2;
        }

        if (v5)
        {
            span[i++] = 0;
        }

        return i;
    }

    /// <summary>PUBACK, PUBREC, PUBREL (flags 0b0010) or PUBCOMP: 4 bytes (v5 may omit the success reason code).</summary>
    public static int WriteAck(Span<byte> span, byte type, ushort packetId)
    {
        span[0] = (byte)((type << 4) | (type == PubRel ? 0x02 : 0));
        span[1] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], packetId);
        return 4;
    }

    public static byte[] ConnectPacket(string clientId, bool v5, ushort keepAliveSeconds, string? username, string? password)
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        var user = username is null ? null : Encoding.UTF8.GetBytes(username);
        var pass = password is null ? null : Encoding.UTF8.GetBytes(password);
        var remaining = 10 + (v5 ? 1 : 0) + 2 + id.Length + (user is null ? 0 : 2 + user.Length) + (pass is null ? 0 : 2 + pass.Length);
        var packet = new byte[1 + VarIntSize(remaining) + remaining];
        var span = packet.AsSpan();
        span[0] = Connect << 4;
        var i = 1 + WriteVarInt(span[1..], remaining);
        i += WriteString(span[i..], "MQTT"u8);
        span[i++] = v5 ? (byte)5 : (byte)4;
        span[i++] = (byte)(0x02 | (user is null ? 0 : 0x80) | (pass is null ? 0 : 0x40)); // clean session/start
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], keepAliveSeconds);
        i += 2;
        if (v5)
        {
            span[i++] = 0;
        }

        i += WriteString(span[i..], id);
        if (user is not null)
        {
            i += WriteString(span[i..], user);
        }

        if (pass is not null)
        {
            WriteString(span[i..], pass);
        }

        return packet;
    }

    public static byte[] SubscribePacket(ushort packetId, string filter, int qos, bool v5)
    {
        var topic = Encoding.UTF8.GetBytes(filter);
        var remaining = 2 + (v5 ? 1 : 0) + 2 + topic.Length + 1;
        var packet = new byte[1 + VarIntSize(remaining) + remaining];
        var span = packet.AsSpan();
        span[0] = (Subscribe << 4) | 0x02;
        var i = 1 + WriteVarInt(span[1..], remaining);
        BinaryPrimitives.WriteUInt16BigEndian(span[i..], packetId);
        i += 2;
        if (v5)
        {
            span[i++] = 0;
        }

        i += WriteString(span[i..], topic);
        span[i] = (byte)qos;
        return packet;
    }

    public static byte[] DisconnectPacket() => [Disconnect << 4, 0];

    /// <summary>
    /// Reads one packet's fixed header from <paramref name="buffer"/>. Returns false when more bytes are needed;
    /// otherwise the packet spans <paramref name="headerLength"/> + <paramref name="remainingLength"/> bytes.
    /// </summary>
    public static bool TryReadFixedHeader(ReadOnlySpan<byte> buffer, out byte first, out int headerLength, out int remainingLength)
    {
        first = 0;
        headerLength = 0;
        remainingLength = 0;
        if (buffer.Length < 2)
        {
            return false;
        }

        first = buffer[0];
        var multiplier = 1;
        for (var i = 1; i < 5; i++)
        {
            if (i >= buffer.Length)
            {
                return false;
            }

            remainingLength += (buffer[i] & 0x7F) * multiplier;
            if ((buffer[i] & 0x80) == 0)
            {
                headerLength = i + 1;
                return buffer.Length >= headerLength + remainingLength;
            }

            multiplier <<= 7;
        }

        throw new InvalidDataException("Malformed MQTT remaining length.");
    }

    /// <summary>Splits a PUBLISH body (after the fixed header) into its packet id and payload.</summary>
    public static ReadOnlySpan<byte> PublishPayload(ReadOnlySpan<byte> body, int qos, bool v5, out ushort packetId)
    {
        var topicLength = BinaryPrimitives.ReadUInt16BigEndian(body);
        var i = 2 + topicLength;
        packetId = 0;
        if (qos > 0)
        {
            packetId = BinaryPrimitives.ReadUInt16BigEndian(body[i..]);
            i += 2;
        }

        if (v5)
        {
            var propertiesLength = ReadVarInt(body[i..], out var size);
            i += size + propertiesLength;
        }

        return body[i..];
    }

    /// <summary>CONNACK: the return/reason code, and the MQTT 5 Receive Maximum (65535 when absent).</summary>
    public static byte ConnAckCode(ReadOnlySpan<byte> body, bool v5, out int receiveMaximum)
    {
        receiveMaximum = 65535;
        var code = body[1];
        if (v5 && body.Length > 2)
        {
            var length = ReadVarInt(body[2..], out var size);
            var properties = body.Slice(2 + size, length);
            receiveMaximum = FindTwoByteProperty(properties, ReceiveMaximumProperty) ?? 65535;
        }

        return code;
    }

    public static int ReadVarInt(ReadOnlySpan<byte> span, out int size)
    {
        var value = 0;
        var multiplier = 1;
        size = 0;
        while (true)
        {
            var b = span[size++];
            value += (b & 0x7F) * multiplier;
            if ((b & 0x80) == 0)
            {
                return value;
            }

            multiplier <<= 7;
        }
    }

    private static int? FindTwoByteProperty(ReadOnlySpan<byte> properties, byte wanted)
    {
        var i = 0;
        while (i < properties.Length)
        {
            var id = properties[i++];
            if (id == wanted)
            {
                return BinaryPrimitives.ReadUInt16BigEndian(properties[i..]);
            }

            i += id switch
            {
                0x01 or 0x17 or 0x19 or 0x24 or 0x25 or 0x28 or 0x29 or 0x2A => 1,
                0x13 or 0x21 or 0x22 or 0x23 => 2,
                0x02 or 0x11 or 0x18 or 0x27 => 4,
                0x0B => VarIntSizeAt(properties[i..]),
                0x03 or 0x08 or 0x12 or 0x15 or 0x1A or 0x1C or 0x1F or 0x09 or 0x16 => 2 + BinaryPrimitives.ReadUInt16BigEndian(properties[i..]),
                0x26 => SkipPair(properties[i..]),
                _ => throw new InvalidDataException($"Unknown MQTT property 0x{id:X2}."),
            };
        }

        return null;
    }

    private static int VarIntSizeAt(ReadOnlySpan<byte> span)
    {
        ReadVarInt(span, out var size);
        return size;
    }

    private static int SkipPair(ReadOnlySpan<byte> span)
    {
        var first = 2 + BinaryPrimitives.ReadUInt16BigEndian(span);
        return first + 2 + BinaryPrimitives.ReadUInt16BigEndian(span[first..]);
    }

    private static int WriteString(Span<byte> span, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value.Length);
        value.CopyTo(span[2..]);
        return 2 + value.Length;
    }
}

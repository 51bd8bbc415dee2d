namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>
/// Primitive reads over the body of one packet. Every read either succeeds or throws a malformed
/// <see cref="MqttProtocolException"/>: running out of body bytes means the remaining length was
/// too short for the content. Stateless.
/// </summary>
internal static class MqttWireReader
{
    private const int StackCopyLimit = 256;

    public static byte ReadByte(ref SequenceReader<byte> reader)
    {
        if (!reader.TryRead(out var value))
        {
            throw TooShort();
        }

        return value;
    }

    public static ushort ReadUInt16(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadBigEndian(out short value))
        {
            throw TooShort();
        }

        return (ushort)value;
    }

    public static uint ReadUInt32(ref SequenceReader<byte> reader)
    {
        if (!reader.TryReadBigEndian(out int value))
        {
            throw TooShort();
        }

        return (uint)value;
    }

    /// <summary>[MQTT-1.5.5-1] in v5 the encoding must be minimal; 3.x only bounds it to 4 bytes.</summary>
    public static int ReadVariableByteInteger(ref SequenceReader<byte> reader, bool requireMinimal)
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = ReadByte(ref reader);
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (requireMinimal && i > 0 && b == 0)
                {
                    throw MqttProtocolException.Malformed("[MQTT-1.5.5-1] variable byte integer is not minimally encoded.");
                }

                return value;
            }
        }

        throw MqttProtocolException.Malformed("Variable byte integer longer than 4 bytes.");
    }

    /// <summary>Reads a length-prefixed UTF-8 string, validated per [MQTT-1.5.4-1..3].</summary>
    public static string ReadString(ref SequenceReader<byte> reader)
    {
        var length = ReadUInt16(ref reader);
        if (length == 0)
        {
            return string.Empty;
        }

        if (reader.Remaining < length)
        {
            throw TooShort();
        }

        if (reader.UnreadSpan.Length >= length)
        {
            var value = MqttUtf8.Decode(reader.UnreadSpan[..length]);
            reader.Advance(length);
            return value;
        }

        return DecodeAcrossSegments(ref reader, length);
    }

    /// <summary>Reads length-prefixed binary data into a new array.</summary>
    public static byte[] ReadBinary(ref SequenceReader<byte> reader)
    {
        var length = ReadUInt16(ref reader);
        if (reader.Remaining < length)
        {
            throw TooShort();
        }

        var value = length == 0 ? [] : new byte[length];
        reader.TryCopyTo(value);
        reader.Advance(length);
        return value;
    }

    /// <summary>Reads a length-prefixed string and compares its raw bytes with an ASCII literal,
    /// without allocating (used for the CONNECT protocol name).</summary>
    public static bool ReadAndMatchAscii(ref SequenceReader<byte> reader, ReadOnlySpan<byte> expected1, ReadOnlySpan<byte> expected2, out int matched)
    {
        var length = ReadUInt16(ref reader);
        if (reader.Remaining < length)
        {
            throw TooShort();
        }

        matched = 0;
        if (length == expected1.Length && reader.IsNext(expected1))
        {
            matched = 1;
        }
        else if (length == expected2.Length && reader.IsNext(expected2))
        {
            matched = 2;
        }

        reader.Advance(length);
        return matched != 0;
    }

    public static void EnsureEnd(ref SequenceReader<byte> reader, string packetName)
    {
        if (!reader.End)
        {
            throw MqttProtocolException.Malformed($"{packetName}: {reader.Remaining} unexpected trailing byte(s) after the content.");
        }
    }

    public static MqttProtocolException TooShort() =>
        MqttProtocolException.Malformed("Remaining length too short for the packet's content.");

    private static string DecodeAcrossSegments(ref SequenceReader<byte> reader, int length)
    {
        byte[]? rented = null;
        var scratch = length <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var bytes = scratch[..length];
            reader.TryCopyTo(bytes);
            reader.Advance(length);
            return MqttUtf8.Decode(bytes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

namespace EdgeBroker.Mqtt.Codec;

using System.Buffers.Binary;
using System.Text;

/// <summary>
/// Sequential big-endian writes into a span the caller sized exactly (sizes come from
/// <see cref="MqttPacketWriter.GetEncodedSize"/>). A short span is a writer bug and throws.
/// </summary>
internal ref struct MqttSpanWriter
{
    private readonly Span<byte> _span;
    private int _position;

    public MqttSpanWriter(Span<byte> span)
    {
        _span = span;
        _position = 0;
    }

    public readonly int Position => _position;

    public static int GetStringSize(string value)
    {
        var size = Encoding.UTF8.GetByteCount(value);
        if (size > ushort.MaxValue)
        {
            throw new ArgumentException($"String of {size} UTF-8 bytes exceeds the 65,535-byte MQTT limit.", nameof(value));
        }

        return 2 + size;
    }

    public static int GetBinarySize(ReadOnlySpan<byte> value)
    {
        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"Binary data of {value.Length} bytes exceeds the 65,535-byte MQTT limit.", nameof(value));
        }

        return 2 + value.Length;
    }

    public void WriteByte(byte value) => _span[_position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_span[_position..], value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value) =>
        _position += MqttVariableByteInteger.Write(_span[_position..], value);

    public void WriteString(string value)
    {
        var length = Encoding.UTF8.GetBytes(value, _span[(_position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_span[_position..], checked((ushort)length));
        _position += 2 + length;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16(checked((ushort)value.Length));
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// Variable byte integer (spec 1.5.5): 7 bits per byte, least significant group first, bit 7 set
/// on every byte but the last, at most 4 bytes, so at most 268,435,455.
/// </summary>
public static class MqttVariableByteInteger
{
    public const int MaxValue = 268_435_455;

    public static int GetSize(int value) => value switch
    {
        < 0 or > MaxValue => throw new ArgumentOutOfRangeException(nameof(value), value, "Not encodable as a variable byte integer."),
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes the minimal encoding; returns the number of bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var size = GetSize(value);
        for (var i = 0; i < size; i++)
        {
            var digit = (byte)(value & 0x7F);
            value >>= 7;
            destination[i] = i < size - 1 ? (byte)(digit | 0x80) : digit;
        }

        return size;
    }
}

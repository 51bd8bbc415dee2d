namespace EdgeBroker.Bench.Stats;

using System.Buffers.Binary;

/// <summary>
/// The first bytes of every payload the tool sends, so any receiver can count loss and duplicates and
/// measure latency without shared state:
/// <code>
///  0      4            12             20        size
///  | pub  | sequence   | intended     | padding |
///  | int32| int64      | ticks int64  | 0x2E…   |   little endian; ticks = Stopwatch ticks of this process
/// </code>
/// </summary>
public static class PayloadStamp
{
    public const int Length = 20;

    public static void Write(Span<byte> payload, int publisher, long sequence, long intendedTicks)
    {
        BinaryPrimitives.WriteInt32LittleEndian(payload, publisher);
        BinaryPrimitives.WriteInt64LittleEndian(payload[4..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(payload[12..], intendedTicks);
    }

    public static bool TryRead(ReadOnlySpan<byte> payload, out int publisher, out long sequence, out long intendedTicks)
    {
        if (payload.Length < Length)
        {
            publisher = 0;
            sequence = 0;
            intendedTicks = 0;
            return false;
        }

        publisher = BinaryPrimitives.ReadInt32LittleEndian(payload);
        sequence = BinaryPrimitives.ReadInt64LittleEndian(payload[4..]);
        intendedTicks = BinaryPrimitives.ReadInt64LittleEndian(payload[12..]);
        return true;
    }
}

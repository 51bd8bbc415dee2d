namespace EdgeBroker.Storage;

using System.Buffers.Binary;

/// <summary>
/// The on-disk record batch, version 1. All integers little-endian. Frozen by RecordBatchFormatTests.
/// <code>
/// byte  0        4       5       6        8                16              20            24
///       +--------+-------+-------+--------+----------------+---------------+-------------+
///       | Length | Magic | Attrs | Rsvd=0 |   BaseOffset   | LastOffsetDelta| RecordCount |
///       | int32  | =1    | u8    | u16    |     int64      |     int32     |    int32    |
///       +--------+-------+-------+--------+----------------+---------------+-------------+
/// byte 24                 32                 40       44
///       +-----------------+------------------+--------+------------------------------+
///       | FirstTimestamp  |  MaxTimestamp    | CRC32C | records ...                  |
///       |   int64 (ms)    |   int64 (ms)     | u32    | (Length - 44 bytes)          |
///       +-----------------+------------------+--------+------------------------------+
///
/// CRC32C covers bytes [0, 40) and [44, Length): the length and base offset are protected too (R1 note, F07).
/// Length counts the whole batch, header included.
///
/// record:  varint OffsetDelta | zigzag varint TimestampDelta (vs FirstTimestamp) | u8 Flags (bit0 tombstone)
///          | varint KeyLength | Key | varint ValueLength | Value
/// </code>
/// Offset deltas are explicit because compaction removes records and leaves gaps (offsets are preserved).
/// Thread-safety: stateless.
/// </summary>
internal static class RecordBatch
{
    public const int HeaderSize = 44;
    public const byte Magic = 1;
    public const byte TombstoneFlag = 0x01;

    public const int LengthField = 0;
    public const int MagicField = 4;
    public const int AttributesField = 5;
    public const int BaseOffsetField = 8;
    public const int LastOffsetDeltaField = 16;
    public const int RecordCountField = 20;
    public const int FirstTimestampField = 24;
    public const int MaxTimestampField = 32;
    public const int CrcField = 40;

    /// <summary>Writes the base offset and the CRC into an encoded batch; called by the writer once the offset is known.</summary>
    public static void Seal(Span<byte> batch, long baseOffset)
    {
        BinaryPrimitives.WriteInt64LittleEndian(batch[BaseOffsetField..], baseOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(batch[CrcField..], ComputeCrc(batch));
    }

    public static uint ComputeCrc(ReadOnlySpan<byte> batch)
    {
        var crc = Crc32CHelper.Append(Crc32CHelper.Seed, batch[..CrcField]);
        crc = Crc32CHelper.Append(crc, batch[HeaderSize..]);
        return Crc32CHelper.Finish(crc);
    }

    /// <summary>
    /// Decodes and sanity-checks a header without trusting it: magic, length within
    /// [HeaderSize, <paramref name="maxLength"/>], counts non-negative. The CRC is checked separately.
    /// </summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> bytes, long maxLength, out BatchHeader header)
    {
        header = default;
        if (bytes.Length < HeaderSize || bytes[MagicField] != Magic)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var lastDelta = BinaryPrimitives.ReadInt32LittleEndian(bytes[LastOffsetDeltaField..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[RecordCountField..]);
        var baseOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[BaseOffsetField..]);

        // F07: never trust a length beyond what the segment can hold; a record takes at least 5 bytes.
        if (length < HeaderSize || length > maxLength || count < 1 || lastDelta < count - 1
            || baseOffset < 0 || (long)count * 5 > length - HeaderSize
            || BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]) != 0)
        {
            return false;
        }

        header = new BatchHeader(
            length,
            baseOffset,
            lastDelta,
            count,
            BinaryPrimitives.ReadInt64LittleEndian(bytes[FirstTimestampField..]),
            BinaryPrimitives.ReadInt64LittleEndian(bytes[MaxTimestampField..]),
            bytes[AttributesField],
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[CrcField..]));
        return true;
    }

    /// <summary>True when the whole batch (header included) matches its CRC.</summary>
    public static bool IsCrcValid(ReadOnlySpan<byte> batch, in BatchHeader header) => ComputeCrc(batch) == header.Crc;
}

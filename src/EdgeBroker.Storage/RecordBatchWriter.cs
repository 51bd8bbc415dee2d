namespace EdgeBroker.Storage;

using System.Buffers;
using System.Buffers.Binary;

/// <summary>Encodes records into the <see cref="RecordBatch"/> layout. Thread-safety: stateless.</summary>
internal static class RecordBatchWriter
{
    /// <summary>
    /// Encodes appended records (offset deltas 0..n-1) into a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
    /// The base offset and CRC are left for <see cref="RecordBatch.Seal"/>; the caller returns the buffer.
    /// </summary>
    public static byte[] EncodeForAppend(IReadOnlyList<LogRecord> records, out int length)
    {
        if (records.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one record.", nameof(records));
        }

        var first = records[0].TimestampMs;
        long size = RecordBatch.HeaderSize;
        var max = long.MinValue;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            size += RecordSize(i, r.TimestampMs - first, r.Key.Length, r.IsTombstone ? 0 : r.Value.Length);
            max = Math.Max(max, r.TimestampMs);
        }

        if (size > int.MaxValue / 2)
        {
            throw new ArgumentException("The batch is too large.", nameof(records));
        }

        length = (int)size;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        var span = buffer.AsSpan(0, length);
        WriteHeader(span, 0, records.Count - 1, records.Count, first, max);
        var position = RecordBatch.HeaderSize;
        for (var i = 0; i < records.Count; i++)
        {
            var r = records[i];
            position += WriteRecord(span[position..], i, r.TimestampMs - first, r.IsTombstone, r.Key.Span, r.IsTombstone ? default : r.Value.Span);
        }

        return buffer;
    }

    /// <summary>Encodes surviving entries (sorted by offset, gaps allowed) into a sealed batch; used by compaction.</summary>
    public static byte[] EncodeEntries(IReadOnlyList<LogEntry> entries)
    {
        var baseOffset = entries[0].Offset;
        var first = entries[0].TimestampMs;
        long size = RecordBatch.HeaderSize;
        var max = long.MinValue;
        foreach (var e in entries)
        {
            size += RecordSize(checked((int)(e.Offset - baseOffset)), e.TimestampMs - first, e.Key.Length, e.Value.Length);
            max = Math.Max(max, e.TimestampMs);
        }

        var buffer = new byte[size];
        var lastDelta = checked((int)(entries[^1].Offset - baseOffset));
        WriteHeader(buffer, baseOffset, lastDelta, entries.Count, first, max);
        var position = RecordBatch.HeaderSize;
        foreach (var e in entries)
        {
            position += WriteRecord(buffer.AsSpan(position), (int)(e.Offset - baseOffset), e.TimestampMs - first, e.IsTombstone, e.Key.Span, e.Value.Span);
        }

        RecordBatch.Seal(buffer, baseOffset);
        return buffer;
    }

    private static long RecordSize(int offsetDelta, long timestampDelta, int keyLength, int valueLength) =>
        Varint.Size((ulong)offsetDelta) + Varint.Size(Varint.ZigZag(timestampDelta)) + 1
        + Varint.Size((ulong)keyLength) + keyLength + Varint.Size((ulong)valueLength) + valueLength;

    private static void WriteHeader(Span<byte> span, long baseOffset, int lastDelta, int count, long firstTimestamp, long maxTimestamp)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[RecordBatch.LengthField..], span.Length);
        span[RecordBatch.MagicField] = RecordBatch.Magic;
        span[RecordBatch.AttributesField] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[RecordBatch.BaseOffsetField..], baseOffset);
        BinaryPrimitives.WriteInt32LittleEndian(span[RecordBatch.LastOffsetDeltaField..], lastDelta);
        BinaryPrimitives.WriteInt32LittleEndian(span[RecordBatch.RecordCountField..], count);
        BinaryPrimitives.WriteInt64LittleEndian(span[RecordBatch.FirstTimestampField..], firstTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(span[RecordBatch.MaxTimestampField..], maxTimestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(span[RecordBatch.CrcField..], 0);
    }

    private static int WriteRecord(Span<byte> span, int offsetDelta, long timestampDelta, bool tombstone, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var p = Varint.Write(span, (ulong)offsetDelta);
        p += Varint.Write(span[p..], Varint.ZigZag(timestampDelta));
        span[p++] = tombstone ? RecordBatch.TombstoneFlag : (byte)0;
        p += Varint.Write(span[p..], (ulong)key.Length);
        key.CopyTo(span[p..]);
        p += key.Length;
        p += Varint.Write(span[p..], (ulong)value.Length);
        value.CopyTo(span[p..]);
        return p + value.Length;
    }
}

namespace EdgeBroker.Storage;

/// <summary>Decodes the records of a CRC-checked batch. Thread-safety: stateless.</summary>
internal static class RecordBatchReader
{
    /// <summary>
    /// Adds the records with <paramref name="fromOffset"/> ≤ offset &lt; <paramref name="toOffset"/> to <paramref name="output"/>.
    /// Keys and values are slices of <paramref name="batch"/> (the caller gives each batch its own array).
    /// Returns false if the record area is malformed (treated as corruption by the caller).
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> batch, in BatchHeader header, long fromOffset, long toOffset, List<LogEntry> output, ref long budgetBytes, int maxRecords)
    {
        var span = batch.Span;
        var p = RecordBatch.HeaderSize;
        for (var i = 0; i < header.RecordCount; i++)
        {
            if (!Varint.TryRead(span, ref p, out var delta) || !Varint.TryRead(span, ref p, out var tsDelta) || p >= span.Length)
            {
                return false;
            }

            var flags = span[p++];
            if (!Varint.TryRead(span, ref p, out var keyLength) || keyLength > (ulong)(span.Length - p))
            {
                return false;
            }

            var keyStart = p;
            p += (int)keyLength;
            if (!Varint.TryRead(span, ref p, out var valueLength) || valueLength > (ulong)(span.Length - p) || delta > (ulong)header.LastOffsetDelta)
            {
                return false;
            }

            var valueStart = p;
            p += (int)valueLength;
            var offset = header.BaseOffset + (long)delta;
            if (offset < fromOffset || offset >= toOffset)
            {
                continue;
            }

            var size = (long)keyLength + (long)valueLength;
            if (output.Count >= maxRecords || (output.Count > 0 && size > budgetBytes))
            {
                budgetBytes = -1;
                return true;
            }

            budgetBytes -= size;
            output.Add(new LogEntry(
                offset,
                header.FirstTimestamp + Varint.UnZigZag(tsDelta),
                batch.Slice(keyStart, (int)keyLength),
                batch.Slice(valueStart, (int)valueLength),
                (flags & RecordBatch.TombstoneFlag) != 0));
        }

        return p == span.Length;
    }
}

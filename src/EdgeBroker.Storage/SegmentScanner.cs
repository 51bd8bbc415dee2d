namespace EdgeBroker.Storage;

/// <summary>
/// Reads and validates batches straight from a segment file, and finds the next valid batch after a bad
/// one (R8): a position where magic, a sane length, a plausible base offset and the CRC all check out.
/// Lengths are bounded by the bytes left in the file before anything is allocated (F07).
/// Thread-safety: stateless; safe beside one writer (it reads only below the given limit).
/// </summary>
internal static class SegmentScanner
{
    private const int ResyncChunk = 64 * 1024;

    /// <summary>Reads the batch at <paramref name="position"/>; null when it is not a valid batch.</summary>
    public static byte[]? TryReadBatch(IStorageFile file, long position, long limit, long minBaseOffset, long maxNextOffset, out BatchHeader header)
    {
        header = default;
        if (limit - position < RecordBatch.HeaderSize)
        {
            return null;
        }

        Span<byte> head = stackalloc byte[RecordBatch.HeaderSize];
        if (file.Read(position, head) != head.Length
            || !RecordBatch.TryReadHeader(head, limit - position, out header)
            || header.BaseOffset < minBaseOffset
            || header.NextOffset > maxNextOffset)
        {
            return null;
        }

        var batch = new byte[header.Length];
        if (file.Read(position, batch) != batch.Length || !RecordBatch.IsCrcValid(batch, header))
        {
            return null;
        }

        return batch;
    }

    /// <summary>The first position in (<paramref name="from"/>, <paramref name="limit"/>) holding a valid batch, or -1.</summary>
    public static long FindNextValid(IStorageFile file, long from, long limit, long minBaseOffset, long maxNextOffset)
    {
        var chunk = new byte[ResyncChunk];
        for (var start = from; start < limit - RecordBatch.HeaderSize + 1; start += ResyncChunk - RecordBatch.HeaderSize)
        {
            var read = file.Read(start, chunk.AsSpan(0, (int)Math.Min(ResyncChunk, limit - start)));
            for (var i = 0; i + RecordBatch.HeaderSize <= read; i++)
            {
                var p = start + i;
                if (chunk[i + RecordBatch.MagicField] == RecordBatch.Magic
                    && RecordBatch.TryReadHeader(chunk.AsSpan(i, RecordBatch.HeaderSize), limit - p, out _)
                    && TryReadBatch(file, p, limit, minBaseOffset, maxNextOffset, out _) is not null)
                {
                    return p;
                }
            }

            if (read < ResyncChunk)
            {
                break;
            }
        }

        return -1;
    }

    /// <summary>
    /// Walks every batch from <paramref name="position"/> to <paramref name="limit"/>, calling <paramref name="onBatch"/>
    /// for valid ones. A bad batch followed by a valid one becomes a <see cref="Quarantine"/>; bad bytes with
    /// nothing valid after them are reported as <see cref="ScanResult.TailStart"/> for the caller to judge.
    /// </summary>
    public static ScanResult Scan(IStorageFile file, long position, long nextOffset, long limit, long maxNextOffset, Action<long, BatchHeader>? onBatch)
    {
        var quarantines = new List<Quarantine>();
        var batches = 0;
        var cursor = new BatchCursor(file);
        while (position < limit)
        {
            if (cursor.TryRead(position, limit, nextOffset, maxNextOffset, out var header) is not null)
            {
                onBatch?.Invoke(position, header);
                batches++;
                position += header.Length;
                nextOffset = header.NextOffset;
                continue;
            }

            var resume = FindNextValid(file, position + 1, limit, nextOffset, maxNextOffset);
            if (resume < 0)
            {
                return new ScanResult(position, nextOffset, batches, quarantines, position);
            }

            TryReadBatch(file, resume, limit, nextOffset, maxNextOffset, out var next);
            quarantines.Add(new Quarantine(
                new CorruptRange(file.Path, position, nextOffset, next.BaseOffset, "batch failed validation (bad CRC, length or header); valid batches follow"),
                resume));
            position = resume;
        }

        return new ScanResult(position, nextOffset, batches, quarantines, -1);
    }
}

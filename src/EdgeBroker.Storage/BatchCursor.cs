namespace EdgeBroker.Storage;

/// <summary>
/// Reads consecutive batches of one segment through a read-ahead chunk (16 KiB growing to 256 KiB) instead of
/// two preads and one array per batch. Returned batches are slices of the chunk; a new chunk array is
/// allocated on every refill, so slices handed out earlier stay valid. Lengths are bounded by the limit
/// before any allocation (F07). Thread-safety: one cursor per read call.
/// </summary>
internal sealed class BatchCursor(IStorageFile file)
{
    private const int FirstChunk = 16 * 1024;
    private const int MaxChunk = 256 * 1024;

    private byte[] _chunk = [];
    private long _chunkStart;
    private int _chunkLength;
    private int _nextChunkSize = FirstChunk;

    /// <summary>The valid batch at <paramref name="position"/>, or null when it does not validate.</summary>
    public ReadOnlyMemory<byte>? TryRead(long position, long limit, long minBaseOffset, long maxNextOffset, out BatchHeader header)
    {
        header = default;
        if (limit - position < RecordBatch.HeaderSize || !EnsureBuffered(position, RecordBatch.HeaderSize, limit))
        {
            return null;
        }

        var offset = (int)(position - _chunkStart);
        if (!RecordBatch.TryReadHeader(_chunk.AsSpan(offset, RecordBatch.HeaderSize), limit - position, out header)
            || header.BaseOffset < minBaseOffset
            || header.NextOffset > maxNextOffset
            || !EnsureBuffered(position, header.Length, limit))
        {
            return null;
        }

        var batch = _chunk.AsMemory((int)(position - _chunkStart), header.Length);
        if (!RecordBatch.IsCrcValid(batch.Span, header))
        {
            // Not "? batch : null": null would convert to an empty ReadOnlyMemory and look valid.
            return null;
        }

        return batch;
    }

    private bool EnsureBuffered(long position, int length, long limit)
    {
        if (position >= _chunkStart && position + length <= _chunkStart + _chunkLength)
        {
            return true;
        }

        var size = (int)Math.Min(limit - position, Math.Max(length, _nextChunkSize));
        _nextChunkSize = Math.Min(MaxChunk, _nextChunkSize * 2);
        _chunk = new byte[size];
        _chunkStart = position;
        _chunkLength = file.Read(position, _chunk);
        return _chunkLength >= length;
    }
}

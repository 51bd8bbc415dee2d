namespace EdgeBroker.Storage;

/// <summary>
/// One segment: the batch file plus its offset and time indexes, with the in-memory state the writer and
/// readers need. Thread-safety: one writer (the log's writer task, or recovery/maintenance under the log's
/// structure lock); readers use <see cref="VisibleSize"/>, <see cref="FindPosition"/> and <see cref="LogFile"/> concurrently.
/// </summary>
internal sealed class Segment : IDisposable
{
    private readonly int _indexInterval;
    private long _size;
    private long _visibleSize;
    private long _bytesSinceIndex;

    public Segment(long baseOffset, IStorageFile logFile, IStorageFile indexFile, IStorageFile timeIndexFile, int indexInterval)
    {
        BaseOffset = baseOffset;
        LogFile = logFile;
        IndexFile = indexFile;
        TimeIndexFile = timeIndexFile;
        _indexInterval = indexInterval;
        NextOffset = baseOffset;
        MaxTimestamp = long.MinValue;
    }

    public long BaseOffset { get; }

    public IStorageFile LogFile { get; }

    public IStorageFile IndexFile { get; }

    public IStorageFile TimeIndexFile { get; }

    public OffsetIndex OffsetIndex { get; private set; } = new();

    public TimeIndex TimeIndex { get; private set; } = new();

    public long Size => Volatile.Read(ref _size);

    /// <summary>Readers stop here: the end of the last batch they may see (durable under fsync=always, R6).</summary>
    public long VisibleSize => Volatile.Read(ref _visibleSize);

    /// <summary>The offset after the last batch (meaningful for the active segment and after a scan).</summary>
    public long NextOffset { get; private set; }

    /// <summary>Largest record timestamp held, or <see cref="long.MinValue"/> when empty.</summary>
    public long MaxTimestamp { get; private set; }

    public bool IsSealed { get; private set; }

    public static Segment Create(IFileIO io, string directory, long baseOffset, int indexInterval, FileMode mode) =>
        new(
            baseOffset,
            io.Open(SegmentFiles.PathOf(directory, baseOffset, SegmentFiles.LogExtension), mode),
            io.Open(SegmentFiles.PathOf(directory, baseOffset, SegmentFiles.IndexExtension), mode),
            io.Open(SegmentFiles.PathOf(directory, baseOffset, SegmentFiles.TimeIndexExtension), mode),
            indexInterval);

    public void PublishVisible(long size) => Volatile.Write(ref _visibleSize, size);

    /// <summary>Appends a sealed batch at the end of the file and indexes it. The caller fsyncs.</summary>
    public void Append(ReadOnlySpan<byte> batch, in BatchHeader header)
    {
        var position = Size;
        LogFile.Write(position, batch);
        Volatile.Write(ref _size, position + batch.Length);
        var (offsetAdded, timeAdded) = IndexBatch(position, header);
        if (offsetAdded)
        {
            Span<byte> entry = stackalloc byte[OffsetIndex.EntrySize];
            var (rel, pos) = OffsetIndex[OffsetIndex.Count - 1];
            OffsetIndex.WriteEntry(entry, rel, pos);
            IndexFile.Write((long)(OffsetIndex.Count - 1) * OffsetIndex.EntrySize, entry);
        }

        if (timeAdded)
        {
            WriteLastTimeEntry();
        }
    }

    /// <summary>
    /// The one indexing rule, shared by the writer and by index rebuilds so both produce identical files:
    /// an offset entry (and a time entry when the max timestamp grew) once IndexIntervalBytes have passed.
    /// </summary>
    public (bool OffsetAdded, bool TimeAdded) IndexBatch(long position, in BatchHeader header)
    {
        bool offsetAdded = false, timeAdded = false;
        var rel = (uint)(header.BaseOffset - BaseOffset);
        if (_bytesSinceIndex >= _indexInterval)
        {
            OffsetIndex.Add(rel, (uint)position);
            offsetAdded = true;
            timeAdded = MaxTimestamp != long.MinValue && MaxTimestamp > (TimeIndex.LastTimestamp ?? long.MinValue) && TimeIndex.TryAdd(MaxTimestamp, rel);
            _bytesSinceIndex = 0;
        }

        _bytesSinceIndex += header.Length;
        MaxTimestamp = Math.Max(MaxTimestamp, header.MaxTimestamp);
        NextOffset = header.NextOffset;
        return (offsetAdded, timeAdded);
    }

    /// <summary>Used by recovery after a scan: sets the size and where the next offset starts.</summary>
    public void SetScannedState(long size, long nextOffset)
    {
        Volatile.Write(ref _size, size);
        NextOffset = Math.Max(NextOffset, nextOffset);
        PublishVisible(size);
    }

    /// <summary>Loads trusted indexes (clean start): the max timestamp comes from the time index.</summary>
    public void UseLoadedIndexes(OffsetIndex offsetIndex, TimeIndex timeIndex, long size, bool sealedSegment, long nextOffset)
    {
        OffsetIndex = offsetIndex;
        TimeIndex = timeIndex;
        MaxTimestamp = timeIndex.LastTimestamp ?? long.MinValue;
        IsSealed = sealedSegment;
        Volatile.Write(ref _size, size);
        NextOffset = nextOffset;
        PublishVisible(size);
    }

    /// <summary>Starts indexing from scratch (rebuild); follow with <see cref="IndexBatch"/> per batch.</summary>
    public void ResetIndexes()
    {
        OffsetIndex = new OffsetIndex();
        TimeIndex = new TimeIndex();
        _bytesSinceIndex = 0;
        MaxTimestamp = long.MinValue;
        NextOffset = BaseOffset;
    }

    /// <summary>Continues indexing after the last loaded entry (clean start tail check).</summary>
    public void ResumeIndexingAt(long bytesSinceIndex, long maxTimestamp, long nextOffset)
    {
        _bytesSinceIndex = bytesSinceIndex;
        MaxTimestamp = Math.Max(MaxTimestamp, maxTimestamp);
        NextOffset = nextOffset;
    }

    /// <summary>Marks the segment sealed: a final time entry (max timestamp, next offset) and fsynced index files.</summary>
    public void Seal(long nextOffset, bool writeFiles)
    {
        IsSealed = true;
        if (MaxTimestamp != long.MinValue && TimeIndex.TryAdd(MaxTimestamp, (uint)(nextOffset - BaseOffset)) && writeFiles)
        {
            WriteLastTimeEntry();
        }

        if (writeFiles)
        {
            IndexFile.Flush();
            TimeIndexFile.Flush();
        }
    }

    /// <summary>Writes the in-memory indexes over the files when they differ; true if any file changed (F08).</summary>
    public bool RewriteIndexFilesIfDifferent()
    {
        var a = RewriteIfDifferent(IndexFile, OffsetIndex.Serialize());
        var b = RewriteIfDifferent(TimeIndexFile, TimeIndex.Serialize());
        return a || b;
    }

    public long SizeOnDisk => Size + (OffsetIndex.Count * (long)OffsetIndex.EntrySize) + (TimeIndex.Count * (long)TimeIndex.EntrySize);

    /// <summary>File position from which a scan for <paramref name="offset"/> may start.</summary>
    public long FindPosition(long offset) => OffsetIndex.Lookup(offset - BaseOffset);

    public void Dispose()
    {
        LogFile.Dispose();
        IndexFile.Dispose();
        TimeIndexFile.Dispose();
    }

    private static bool RewriteIfDifferent(IStorageFile file, byte[] content)
    {
        var existing = new byte[file.Length];
        var read = file.Read(0, existing);
        if (read == content.Length && existing.AsSpan(0, read).SequenceEqual(content))
        {
            return false;
        }

        file.SetLength(0);
        file.Write(0, content);
        file.Flush();
        return true;
    }

    private void WriteLastTimeEntry()
    {
        Span<byte> entry = stackalloc byte[TimeIndex.EntrySize];
        var (timestamp, rel) = TimeIndex.Last;
        TimeIndex.WriteEntry(entry, timestamp, rel);
        TimeIndexFile.Write((long)(TimeIndex.Count - 1) * TimeIndex.EntrySize, entry);
    }
}

namespace EdgeBroker.Storage;

/// <summary>
/// A durable append-only log: a directory of segments named by base offset (CONTRACT STUB: the storage
/// work replaces the bodies; the public surface is what Core codes against).
/// Thread-safety: appends and reads may come from any thread concurrently; one internal writer
/// serialises appends (group commit).
/// </summary>
public sealed class Log : IAsyncDisposable
{
    private Log(string directory, LogOptions options)
    {
        Directory = directory;
        Options = options;
    }

    public string Directory { get; }

    public LogOptions Options { get; }

    /// <summary>The first offset still held (retention moves it forward).</summary>
    public long StartOffset => throw new NotImplementedException();

    /// <summary>The offset the next append will get. Never reused (R7).</summary>
    public long EndOffset => throw new NotImplementedException();

    /// <summary>Readers see offsets below this only: the durable end under fsync=always (R6), else <see cref="EndOffset"/>.</summary>
    public long ReadableEndOffset => throw new NotImplementedException();

    /// <summary>True after an fsync or write error (R11): appends fail until the log is reopened (recovery runs again).</summary>
    public bool IsReadOnly => throw new NotImplementedException();

    public long SizeBytes => throw new NotImplementedException();

    public int SegmentCount => throw new NotImplementedException();

    /// <summary>Opens (creating if needed) and recovers the log in <paramref name="directory"/>.</summary>
    public static Log Open(string directory, LogOptions options, out RecoveryReport report) => throw new NotImplementedException();

    /// <summary>Completes with the record's offset once it is durable under the fsync policy; faults with <see cref="LogWriteException"/> otherwise.</summary>
    public ValueTask<long> AppendAsync(LogRecord record, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Appends several records contiguously (one batch); completes with the first offset.</summary>
    public ValueTask<long> AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// Reads records at offsets ≥ <paramref name="offset"/> (starting at <see cref="StartOffset"/> if older) below
    /// <see cref="ReadableEndOffset"/>. Throws <see cref="LogCorruptedException"/> when the range starting at
    /// <paramref name="offset"/> is quarantined; the caller may skip past <see cref="LogCorruptedException.EndOffset"/>.
    /// </summary>
    public IReadOnlyList<LogEntry> Read(long offset, int maxRecords, int maxBytes = int.MaxValue) => throw new NotImplementedException();

    /// <summary>The first offset whose timestamp is ≥ <paramref name="timestampMs"/>, or <see cref="ReadableEndOffset"/> if none.</summary>
    public long FindOffsetByTime(long timestampMs) => throw new NotImplementedException();

    /// <summary>Completes when <see cref="ReadableEndOffset"/> &gt; <paramref name="offset"/> (long-poll readers).</summary>
    public Task WaitForDataAsync(long offset, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Deletes whole sealed segments past the age/size limits. Never the active segment.</summary>
    public RetentionResult EnforceRetention() => throw new NotImplementedException();

    /// <summary>Deletes whole segments that lie entirely below <paramref name="offset"/> (queues drop fully acked segments; streams truncate).</summary>
    public RetentionResult DeleteSegmentsBefore(long offset) => throw new NotImplementedException();

    /// <summary>Rewrites sealed segments keeping the last record per key and dropping tombstones older than the active segment.</summary>
    public CompactionResult Compact() => throw new NotImplementedException();

    /// <summary>Drains pending appends, fsyncs, writes the clean-shutdown marker and closes files.</summary>
    public ValueTask DisposeAsync() => throw new NotImplementedException();
}

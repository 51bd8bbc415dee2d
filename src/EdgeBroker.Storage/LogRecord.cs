namespace EdgeBroker.Storage;

/// <summary>
/// One record to append. <see cref="Key"/> is what compaction keys on (may be empty);
/// a tombstone (<see cref="IsTombstone"/>) deletes its key at the next compaction.
/// </summary>
public readonly record struct LogRecord(ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, long TimestampMs, bool IsTombstone = false)
{
    public static LogRecord Tombstone(ReadOnlyMemory<byte> key, long timestampMs) => new(key, ReadOnlyMemory<byte>.Empty, timestampMs, IsTombstone: true);
}

/// <summary>A record read back, with the offset the log assigned to it.</summary>
public readonly record struct LogEntry(long Offset, long TimestampMs, ReadOnlyMemory<byte> Key, ReadOnlyMemory<byte> Value, bool IsTombstone);

namespace EdgeBroker.Storage;

/// <summary>What opening a log found and did. Storage logs nothing itself; the host logs this.</summary>
public sealed record RecoveryReport(
    string Directory,
    bool CleanShutdown,
    int SegmentsScanned,
    long BytesTruncated,
    int IndexesRebuilt,
    IReadOnlyList<CorruptRange> CorruptRanges,
    long StartOffset,
    long EndOffset,
    TimeSpan Elapsed);

/// <summary>
/// A quarantined range of offsets [<see cref="StartOffset"/>, <see cref="EndOffset"/>) (R8): the bytes are kept
/// at <see cref="FilePosition"/> of <see cref="SegmentFile"/>, reads of the range fail.
/// </summary>
public sealed record CorruptRange(string SegmentFile, long FilePosition, long StartOffset, long EndOffset, string Reason);

public sealed record RetentionResult(int SegmentsDeleted, long BytesDeleted, long NewStartOffset);

public sealed record CompactionResult(int SegmentsRewritten, long RecordsRemoved, long BytesBefore, long BytesAfter);

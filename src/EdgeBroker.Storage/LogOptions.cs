namespace EdgeBroker.Storage;

/// <summary>How one log is laid out on disk and how its appends become durable.</summary>
public sealed record LogOptions
{
    /// <summary>A segment is rolled once it would grow past this many bytes.</summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>One sparse index entry per this many bytes of batches.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    public FsyncPolicy Fsync { get; init; } = FsyncPolicy.Always;

    /// <summary>How long the writer waits for more appends before writing a batch (0: batching comes from concurrency, R2).</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.Zero;

    /// <summary>The most bytes the writer puts in one write + fsync round.</summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>The largest single record accepted (key + value + headers).</summary>
    public int MaxRecordBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Whole sealed segments whose newest record is older than this are deleted. Null: keep forever.</summary>
    public TimeSpan? RetentionAge { get; init; }

    /// <summary>Whole oldest sealed segments are deleted while the log is larger than this. Null: no limit.</summary>
    public long? RetentionBytes { get; init; }

    /// <summary>The file layer; tests substitute a crashable double (R14).</summary>
    public IFileIO FileIO { get; init; } = PhysicalFileIO.Instance;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where fsync durations are recorded (null = not measured).</summary>
    public FsyncLatencyHistogram? FsyncLatency { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad setting.</summary>
    public void Validate()
    {
        if (SegmentBytes < 1024 || SegmentBytes > int.MaxValue)
        {
            // Index entries store file positions as u32 and batches are read into one array.
            throw new ArgumentException($"SegmentBytes must be between 1024 and {int.MaxValue} (was {SegmentBytes}).");
        }

        if (IndexIntervalBytes < 64)
        {
            throw new ArgumentException($"IndexIntervalBytes must be at least 64 (was {IndexIntervalBytes}).");
        }

        if (MaxBatchBytes < 1024)
        {
            throw new ArgumentException($"MaxBatchBytes must be at least 1024 (was {MaxBatchBytes}).");
        }

        if (MaxRecordBytes < 1 || MaxRecordBytes > SegmentBytes)
        {
            throw new ArgumentException($"MaxRecordBytes must be between 1 and SegmentBytes (was {MaxRecordBytes}).");
        }

        if (Linger < TimeSpan.Zero)
        {
            throw new ArgumentException("Linger must not be negative.");
        }

        if (RetentionBytes is < 0)
        {
            throw new ArgumentException("RetentionBytes must not be negative.");
        }

        if (RetentionAge is { } age && age <= TimeSpan.Zero)
        {
            throw new ArgumentException("RetentionAge must be positive.");
        }
    }
}

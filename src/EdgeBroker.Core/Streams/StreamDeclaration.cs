namespace EdgeBroker.Core.Streams;

using EdgeBroker.Core.Topics;
using EdgeBroker.Storage;

/// <summary>
/// A declared stream: its name, partition count, the topic filters it captures from the default exchange,
/// how messages pick a partition, and the log settings of its partitions (null = the broker's defaults).
/// Retention is per partition (each partition is one <see cref="Log"/>). Immutable; equality compares the
/// filters by content.
/// </summary>
public sealed record StreamDeclaration
{
    public const int MaxPartitions = 1024;

    public required string Name { get; init; }

    public int Partitions { get; init; } = 1;

    /// <summary>MQTT topic filters captured from the default exchange (<c>sensors/#</c>).</summary>
    public IReadOnlyList<string> Filters { get; init; } = [];

    public StreamPartitioning Partitioning { get; init; } = StreamPartitioning.Key;

    /// <summary>Whole sealed segments whose newest record is older than this are deleted.</summary>
    public TimeSpan? RetentionAge { get; init; }

    /// <summary>Per partition: the oldest sealed segments are deleted while the partition is larger than this.</summary>
    public long? RetentionBytes { get; init; }

    public long? SegmentBytes { get; init; }

    public FsyncPolicy? Fsync { get; init; }

    public TimeSpan? Linger { get; init; }

    public int? MaxBatchBytes { get; init; }

    /// <summary>The options each partition log opens with: <paramref name="defaults"/> overridden by this declaration.</summary>
    public LogOptions ToLogOptions(LogOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var segment = SegmentBytes ?? defaults.SegmentBytes;
        return defaults with
        {
            SegmentBytes = segment,
            Fsync = Fsync ?? defaults.Fsync,
            Linger = Linger ?? defaults.Linger,
            MaxBatchBytes = MaxBatchBytes ?? defaults.MaxBatchBytes,
            MaxRecordBytes = (int)Math.Min(defaults.MaxRecordBytes, segment - 256),
            RetentionAge = RetentionAge,
            RetentionBytes = RetentionBytes,
        };
    }

    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate(TopicLimits? limits = null)
    {
        if (StreamNames.Check(Name) is { } reason)
        {
            throw new ArgumentException($"Invalid stream name '{Name}': {reason}.");
        }

        if (Partitions is < 1 or > MaxPartitions)
        {
            throw new ArgumentException($"Stream '{Name}': Partitions must be between 1 and {MaxPartitions} (was {Partitions}).");
        }

        if (!Enum.IsDefined(Partitioning))
        {
            throw new ArgumentException($"Stream '{Name}': unknown Partitioning value {(int)Partitioning}.");
        }

        foreach (var filter in Filters)
        {
            var error = TopicFilter.Validate(filter, limits, allowShared: false);
            if (error != TopicError.None)
            {
                throw new ArgumentException($"Stream '{Name}': filter '{filter}' is invalid: {Topic.Describe(error)}.");
            }
        }

        if (RetentionAge is { } age && age <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Stream '{Name}': RetentionAge must be positive.");
        }

        if (RetentionBytes is < 1)
        {
            throw new ArgumentException($"Stream '{Name}': RetentionBytes must be at least 1 (was {RetentionBytes}).");
        }

        if (SegmentBytes is < 4096 or > int.MaxValue)
        {
            throw new ArgumentException($"Stream '{Name}': SegmentBytes must be between 4096 and {int.MaxValue} (was {SegmentBytes}).");
        }

        if (Linger is { } linger && (linger < TimeSpan.Zero || linger > TimeSpan.FromSeconds(10)))
        {
            throw new ArgumentException($"Stream '{Name}': Linger must be between 0 and 10 s.");
        }

        if (MaxBatchBytes is < 1024)
        {
            throw new ArgumentException($"Stream '{Name}': MaxBatchBytes must be at least 1024 (was {MaxBatchBytes}).");
        }
    }

    public bool Equals(StreamDeclaration? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && Partitions == other.Partitions
        && Filters.SequenceEqual(other.Filters, StringComparer.Ordinal)
        && Partitioning == other.Partitioning
        && RetentionAge == other.RetentionAge
        && RetentionBytes == other.RetentionBytes
        && SegmentBytes == other.SegmentBytes
        && Fsync == other.Fsync
        && Linger == other.Linger
        && MaxBatchBytes == other.MaxBatchBytes;

    public override int GetHashCode() => HashCode.Combine(StringComparer.Ordinal.GetHashCode(Name), Partitions, Filters.Count, Partitioning);
}

namespace EdgeBroker.Server.Http.Contracts;

using EdgeBroker.Core.Streams;

/// <summary>A stream as the API shows it: its declaration and per-partition offsets and sizes.</summary>
public sealed record StreamResponse(
    string Name,
    int Partitions,
    IReadOnlyList<string> Filters,
    StreamPartitioning Partitioning,
    long? RetentionAgeMs,
    long? RetentionBytes,
    long? SegmentBytes,
    string? Fsync,
    long Records,
    long SizeBytes,
    long Appended,
    long Failed,
    IReadOnlyList<StreamPartitionStats> PartitionStats)
{
    public static StreamResponse From(StreamStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var d = stats.Declaration;
        return new StreamResponse(
            d.Name,
            d.Partitions,
            d.Filters,
            d.Partitioning,
            d.RetentionAge is { } age ? (long)age.TotalMilliseconds : null,
            d.RetentionBytes,
            d.SegmentBytes,
            d.Fsync?.ToString(),
            stats.Records,
            stats.SizeBytes,
            stats.Appended,
            stats.Failed,
            stats.Partitions);
    }
}

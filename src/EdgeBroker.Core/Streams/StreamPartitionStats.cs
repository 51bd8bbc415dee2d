namespace EdgeBroker.Core.Streams;

/// <summary>One partition at an instant: readable range [Start, End), bytes and segments on disk, read-only after an I/O error (R11).</summary>
public sealed record StreamPartitionStats(int Partition, long StartOffset, long EndOffset, long SizeBytes, int Segments, bool IsReadOnly)
{
    public long Records => EndOffset - StartOffset;
}

namespace EdgeBroker.Core.Streams;

/// <summary>One partition as a group sees it: owner (null = unassigned), committed offset (null = none yet), end and lag.</summary>
public sealed record GroupPartitionInfo(int Partition, string? Owner, long? Committed, long StartOffset, long EndOffset)
{
    /// <summary>Records between the commit (or the start, when nothing is committed) and the end.</summary>
    public long Lag => Math.Max(0, EndOffset - Math.Max(StartOffset, Committed ?? StartOffset));
}

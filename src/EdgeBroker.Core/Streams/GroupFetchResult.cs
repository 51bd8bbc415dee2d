namespace EdgeBroker.Core.Streams;

/// <summary>What one group fetch returned: the member's assignment at that generation and the records read (owned partitions only).</summary>
public sealed record GroupFetchResult(string MemberId, int Generation, IReadOnlyList<int> Assignment, IReadOnlyList<StreamRecord> Records);

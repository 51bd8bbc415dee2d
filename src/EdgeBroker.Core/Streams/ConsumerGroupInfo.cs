namespace EdgeBroker.Core.Streams;

/// <summary>A consumer group at an instant: generation (bumped by every rebalance), members and per-partition commits and lag.</summary>
public sealed record ConsumerGroupInfo(string Stream, string Group, int Generation, IReadOnlyList<GroupMemberInfo> Members, IReadOnlyList<GroupPartitionInfo> Partitions)
{
    public long TotalLag => Partitions.Sum(p => p.Lag);
}

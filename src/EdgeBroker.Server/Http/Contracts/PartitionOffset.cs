namespace EdgeBroker.Server.Http.Contracts;

/// <summary>One (partition, offset) pair of a commit.</summary>
public sealed class PartitionOffset
{
    public int Partition { get; set; }

    public long Offset { get; set; }
}

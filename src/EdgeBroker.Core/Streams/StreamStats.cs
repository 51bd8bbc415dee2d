namespace EdgeBroker.Core.Streams;

/// <summary>A stream at an instant: its declaration, its partitions and what it accepted or failed since start.</summary>
public sealed record StreamStats(StreamDeclaration Declaration, IReadOnlyList<StreamPartitionStats> Partitions, long Appended, long Failed)
{
    public string Name => Declaration.Name;

    public long SizeBytes => Partitions.Sum(p => p.SizeBytes);

    public long Records => Partitions.Sum(p => p.Records);
}

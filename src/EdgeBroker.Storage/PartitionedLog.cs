namespace EdgeBroker.Storage;

/// <summary>N independent logs under one directory (<c>&lt;dir&gt;/&lt;partition&gt;/</c>). CONTRACT STUB.</summary>
public sealed class PartitionedLog : IAsyncDisposable
{
    private PartitionedLog(IReadOnlyList<Log> partitions) => Partitions = partitions;

    public IReadOnlyList<Log> Partitions { get; }

    public static PartitionedLog Open(string directory, int partitionCount, LogOptions options, out IReadOnlyList<RecoveryReport> reports) => throw new NotImplementedException();

    public ValueTask DisposeAsync() => throw new NotImplementedException();
}

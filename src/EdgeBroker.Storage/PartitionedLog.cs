namespace EdgeBroker.Storage;

using System.Buffers.Binary;
using System.Globalization;

/// <summary>
/// N independent logs under one directory (<c>&lt;dir&gt;/&lt;partition&gt;/</c>). The partition count is stored in
/// <c>&lt;dir&gt;/partitions</c> (magic "EBPL", u32 count LE) and may not change: records are routed by
/// partition, so a different count would silently re-route keys. Thread-safety: as <see cref="Log"/>.
/// </summary>
public sealed class PartitionedLog : IAsyncDisposable
{
    private const string MetadataFile = "partitions";

    private PartitionedLog(IReadOnlyList<Log> partitions) => Partitions = partitions;

    public IReadOnlyList<Log> Partitions { get; }

    /// <exception cref="InvalidOperationException">The directory holds a different partition count.</exception>
    public static PartitionedLog Open(string directory, int partitionCount, LogOptions options, out IReadOnlyList<RecoveryReport> reports)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitionCount);
        var io = options.FileIO;
        if (!io.DirectoryExists(directory))
        {
            io.CreateDirectory(directory);
        }

        var metadataPath = Path.Combine(directory, MetadataFile);
        var stored = AtomicFile.Read(io, metadataPath);
        if (stored is null)
        {
            var bytes = new byte[8];
            "EBPL"u8.CopyTo(bytes);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), partitionCount);
            AtomicFile.Write(io, metadataPath, bytes);
        }
        else if (stored.Length != 8 || !stored.AsSpan(0, 4).SequenceEqual("EBPL"u8))
        {
            throw new InvalidOperationException($"'{metadataPath}' is not a partition metadata file; refusing to open.");
        }
        else if (BinaryPrimitives.ReadInt32LittleEndian(stored.AsSpan(4)) is var existing && existing != partitionCount)
        {
            throw new InvalidOperationException($"'{directory}' holds {existing} partitions but {partitionCount} were requested; changing the partition count would re-route keys, so the log is not opened.");
        }

        var logs = new List<Log>(partitionCount);
        var recoveryReports = new List<RecoveryReport>(partitionCount);
        try
        {
            for (var p = 0; p < partitionCount; p++)
            {
                logs.Add(Log.Open(Path.Combine(directory, p.ToString(CultureInfo.InvariantCulture)), options, out var report));
                recoveryReports.Add(report);
            }
        }
        catch
        {
            foreach (var log in logs)
            {
                log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        reports = recoveryReports;
        return new PartitionedLog(logs);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in Partitions)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }
}

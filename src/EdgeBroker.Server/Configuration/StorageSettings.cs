namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Storage;

/// <summary>The <c>EdgeBroker:Storage</c> section: how every log of the broker becomes durable.</summary>
public sealed class StorageSettings
{
    /// <summary><c>always</c> (default, R13), <c>interval:&lt;ms&gt;</c> or <c>never</c>.</summary>
    public string Fsync { get; set; } = "always";

    public long SegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Producer-side batching delay; 0 = batching comes from concurrency only (R2).</summary>
    public int LingerMs { get; set; }

    public int MaxBatchBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Free-disk alarm (RabbitMQ's <c>disk_free_limit</c>): below this many free bytes on the data directory's
    /// file system, durable publishes are refused with each protocol's negative answer; 0 disables.
    /// </summary>
    public long MinFreeDiskBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How often free disk space is sampled.</summary>
    public int DiskCheckIntervalMs { get; set; } = 1000;

    /// <summary>The parsed policy; call only after validation.</summary>
    public FsyncPolicy FsyncPolicy => EdgeBroker.Storage.FsyncPolicy.Parse(Fsync);

    /// <summary>The log options every store opens its logs with; call only after validation.</summary>
    public LogOptions ToLogOptions() => new()
    {
        Fsync = FsyncPolicy,
        SegmentBytes = SegmentBytes,
        Linger = TimeSpan.FromMilliseconds(LingerMs),
        MaxBatchBytes = MaxBatchBytes,
        MaxRecordBytes = (int)Math.Min(16L * 1024 * 1024, SegmentBytes),
    };
}

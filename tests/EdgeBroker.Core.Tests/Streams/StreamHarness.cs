namespace EdgeBroker.Core.Tests.Streams;

using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Streams;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;

/// <summary>A <see cref="StreamStore"/> in a temp directory on a manual clock, reopenable on the same directory.</summary>
internal sealed class StreamHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();

    public StreamHarness(FsyncPolicy? fsync = null, IFileIO? io = null, TimeSpan? sessionTimeout = null, long segmentBytes = 64 * 1024)
    {
        Options = new LogOptions { Fsync = fsync ?? FsyncPolicy.Always, SegmentBytes = segmentBytes, MaxRecordBytes = (int)segmentBytes / 2, FileIO = io ?? PhysicalFileIO.Instance, Time = Clock };
        StoreOptions = new StreamStoreOptions { MaintenanceInterval = TimeSpan.Zero, Groups = new ConsumerGroupOptions { SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(10) } };
        Store = Open();
    }

    public ManualTimeProvider Clock { get; } = new();

    public LogOptions Options { get; }

    public StreamStoreOptions StoreOptions { get; }

    public StreamStore Store { get; private set; }

    public string Root => _directory.Sub("streams");

    public static Message Message(string topic, string payload, string? key = null, long timestampMs = 0) => new()
    {
        Topic = topic,
        Payload = Encoding.UTF8.GetBytes(payload),
        Key = key,
        TimestampMs = timestampMs,
        Persistent = true,
        Qos = QualityOfService.AtLeastOnce,
    };

    public static string Text(StreamRecord record) => Encoding.UTF8.GetString(record.Message.Payload.Span);

    public StreamStore Open(IEnumerable<StreamDeclaration>? configured = null) => StreamStore.Open(Root, Options, Clock, StoreOptions, configured);

    /// <param name="whileClosed">Runs between close and reopen (to damage files the way a crash would).</param>
    public async Task ReopenAsync(IEnumerable<StreamDeclaration>? configured = null, Action? whileClosed = null)
    {
        await Store.DisposeAsync();
        whileClosed?.Invoke();
        Store = Open(configured);
    }

    public async Task<StreamLog> DeclareAsync(string name, int partitions = 1, StreamPartitioning partitioning = StreamPartitioning.Key, params string[] filters)
    {
        var (stream, _) = await Store.DeclareAsync(new StreamDeclaration { Name = name, Partitions = partitions, Partitioning = partitioning, Filters = filters });
        return stream;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _directory.Dispose();
    }
}

namespace EdgeBroker.Benchmarks;

using BenchmarkDotNet.Attributes;
using EdgeBroker.Storage;

/// <summary>
/// Log append throughput: one operation = <see cref="Appends"/> records appended by
/// <see cref="Writers"/> concurrent producers, so group commit can share fsyncs between them.
/// Compare with <see cref="RawDiskBenchmarks"/>, measured in the same run on the same disk.
/// </summary>
[MemoryDiagnoser]
public class LogAppendBenchmarks
{
    public const int Appends = 2048;

    private string _directory = "";
    private Log _log = null!;
    private byte[] _payload = [];

    [Params(128, 4096)]
    public int RecordBytes { get; set; }

    [Params("always", "never")]
    public string Fsync { get; set; } = "always";

    [Params(1, 32)]
    public int Writers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "eb-bench-" + Guid.NewGuid().ToString("N"));
        _payload = new byte[RecordBytes];
        Random.Shared.NextBytes(_payload);
        var options = new LogOptions { Fsync = FsyncPolicy.Parse(Fsync), SegmentBytes = 256L * 1024 * 1024 };
        _log = Log.Open(_directory, options, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Appends)]
    public async Task Append()
    {
        var perWriter = Appends / Writers;
        var tasks = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            tasks[w] = WriteAsync(perWriter);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task WriteAsync(int count)
    {
        var record = new LogRecord(ReadOnlyMemory<byte>.Empty, _payload, 0);
        for (var i = 0; i < count; i++)
        {
            await _log.AppendAsync(record).ConfigureAwait(false);
        }
    }
}

namespace EdgeBroker.Benchmarks;

using BenchmarkDotNet.Attributes;
using Microsoft.Win32.SafeHandles;

/// <summary>
/// The reference the log is judged against: plain sequential writes of <see cref="ChunkBytes"/> to one
/// file, each followed by an fsync, with nothing else in the way. One operation = one write + fsync.
/// </summary>
public class RawDiskBenchmarks
{
    private string _path = "";
    private SafeFileHandle _handle = null!;
    private byte[] _chunk = [];
    private long _position;

    [Params(128, 4096, 65536)]
    public int ChunkBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), "eb-raw-" + Guid.NewGuid().ToString("N"));
        _handle = File.OpenHandle(_path, FileMode.CreateNew, FileAccess.ReadWrite);
        _chunk = new byte[ChunkBytes];
        Random.Shared.NextBytes(_chunk);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _handle.Dispose();
        File.Delete(_path);
    }

    [Benchmark]
    public void WriteAndFsync()
    {
        RandomAccess.Write(_handle, _chunk, _position);
        _position += _chunk.Length;
        RandomAccess.FlushToDisk(_handle);
    }
}

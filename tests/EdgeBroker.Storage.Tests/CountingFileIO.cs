namespace EdgeBroker.Storage.Tests;

/// <summary>Wraps the real file system and counts fsyncs of segment files (group-commit assertions).</summary>
internal sealed class CountingFileIO : IFileIO
{
    private readonly IFileIO _inner = PhysicalFileIO.Instance;
    private int _flushes;

    public int Flushes => Volatile.Read(ref _flushes);

    public IStorageFile Open(string path, FileMode mode) => new CountingFile(_inner.Open(path, mode), this);

    public bool FileExists(string path) => _inner.FileExists(path);

    public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

    public void CreateDirectory(string path) => _inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory) => _inner.ListFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => _inner.ListDirectories(directory);

    public void DeleteFile(string path) => _inner.DeleteFile(path);

    public void DeleteDirectory(string path) => _inner.DeleteDirectory(path);

    public void Move(string source, string destination) => _inner.Move(source, destination);

    public void SyncDirectory(string directory) => _inner.SyncDirectory(directory);

    private sealed class CountingFile(IStorageFile inner, CountingFileIO owner) : IStorageFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public int Read(long position, Span<byte> buffer) => inner.Read(position, buffer);

        public void Write(long position, ReadOnlySpan<byte> data) => inner.Write(position, data);

        public void SetLength(long length) => inner.SetLength(length);

        public void Flush()
        {
            if (inner.Path.EndsWith(".log", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref owner._flushes);
            }

            inner.Flush();
        }

        public void Dispose() => inner.Dispose();
    }
}

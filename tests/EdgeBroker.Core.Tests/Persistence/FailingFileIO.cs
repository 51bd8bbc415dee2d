namespace EdgeBroker.Core.Tests.Persistence;

using EdgeBroker.Storage;

/// <summary>
/// The real file system, except that fsync fails (EIO) once <see cref="FailFsync"/> is set (F13). It also
/// tracks which files hold writes not yet fsynced, so tests can check R1 (acknowledged = on disk).
/// </summary>
public sealed class FailingFileIO : IFileIO
{
    private readonly IFileIO _inner = PhysicalFileIO.Instance;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _unsynced = new();

    private volatile bool _failFsync;

    public bool FailFsync
    {
        get => _failFsync;
        set => _failFsync = value;
    }

    public IStorageFile Open(string path, FileMode mode) => new File(this, _inner.Open(path, mode));

    public bool FileExists(string path) => _inner.FileExists(path);

    public bool DirectoryExists(string path) => _inner.DirectoryExists(path);

    public void CreateDirectory(string path) => _inner.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory) => _inner.ListFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => _inner.ListDirectories(directory);

    public void DeleteFile(string path) => _inner.DeleteFile(path);

    public void DeleteDirectory(string path) => _inner.DeleteDirectory(path);

    public void Move(string source, string destination) => _inner.Move(source, destination);

    public void SyncDirectory(string directory) => _inner.SyncDirectory(directory);

    public IDisposable LockDirectory(string directory) => _inner.LockDirectory(directory);

    /// <summary>Files under <paramref name="directory"/> with writes that no fsync has covered yet.</summary>
    public IReadOnlyList<string> UnsyncedFilesUnder(string directory) =>
        [.. _unsynced.Where(p => p.Value > 0 && p.Key.StartsWith(directory, StringComparison.Ordinal)).Select(p => p.Key)];

    private sealed class File(FailingFileIO owner, IStorageFile inner) : IStorageFile
    {
        public string Path => inner.Path;

        public long Length => inner.Length;

        public int Read(long position, Span<byte> buffer) => inner.Read(position, buffer);

        public void Write(long position, ReadOnlySpan<byte> data)
        {
            owner._unsynced.AddOrUpdate(inner.Path, 1, (_, n) => n + 1);
            inner.Write(position, data);
        }

        public void SetLength(long length) => inner.SetLength(length);

        public void Flush()
        {
            if (owner.FailFsync)
            {
                throw new IOException("injected EIO on fsync");
            }

            owner._unsynced[inner.Path] = 0;
            inner.Flush();
        }

        public void Dispose() => inner.Dispose();
    }
}

namespace EdgeBroker.Storage;

/// <summary>
/// The file layer under the log. Production uses <see cref="PhysicalFileIO"/>; power-loss tests use a
/// double that keeps unsynced writes in memory and drops or tears them on a simulated crash (R14).
/// Every durability step the log takes goes through here: <see cref="IStorageFile.Flush"/> and
/// <see cref="SyncDirectory"/> are the only ways data and directory entries become durable.
/// </summary>
public interface IFileIO
{
    IStorageFile Open(string path, FileMode mode);

    bool FileExists(string path);

    bool DirectoryExists(string path);

    void CreateDirectory(string path);

    /// <summary>Full paths of the files (not directories) directly inside <paramref name="directory"/>.</summary>
    IReadOnlyList<string> ListFiles(string directory);

    /// <summary>Full paths of the directories directly inside <paramref name="directory"/>.</summary>
    IReadOnlyList<string> ListDirectories(string directory);

    void DeleteFile(string path);

    void DeleteDirectory(string path);

    /// <summary>Atomic rename that replaces <paramref name="destination"/> if it exists.</summary>
    void Move(string source, string destination);

    /// <summary>fsync the directory so creates, renames and deletes inside it survive a power loss (R10).</summary>
    void SyncDirectory(string directory);

    /// <summary>
    /// Takes an exclusive lock on <paramref name="directory"/> until the result is disposed, so that two log
    /// instances (in one or two processes) never write the same log. Throws <see cref="IOException"/> when it is
    /// held elsewhere. The default takes no lock (in-memory test doubles).
    /// </summary>
    IDisposable LockDirectory(string directory) => NoLock.Instance;
}

/// <summary>A random-access file. Not thread-safe for concurrent writes; reads may run beside one writer.</summary>
public interface IStorageFile : IDisposable
{
    string Path { get; }

    long Length { get; }

    int Read(long position, Span<byte> buffer);

    void Write(long position, ReadOnlySpan<byte> data);

    void SetLength(long length);

    /// <summary>fsync: returns once everything written so far is on stable storage, or throws (R11).</summary>
    void Flush();
}

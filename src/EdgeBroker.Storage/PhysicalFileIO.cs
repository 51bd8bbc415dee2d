namespace EdgeBroker.Storage;

/// <summary>The real file system. Thread-safety: stateless; safe from any thread.</summary>
public sealed class PhysicalFileIO : IFileIO
{
    public static PhysicalFileIO Instance { get; } = new();

    public IStorageFile Open(string path, FileMode mode) => new PhysicalStorageFile(path, mode);

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => System.IO.Directory.Exists(path);

    /// <summary>Creates the directory (0700 on Unix: data at rest is private to the broker user).</summary>
    public void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
        }
        else
        {
            System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public IReadOnlyList<string> ListFiles(string directory) => System.IO.Directory.GetFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => System.IO.Directory.GetDirectories(directory);

    public void DeleteFile(string path) => File.Delete(path);

    public void DeleteDirectory(string path) => System.IO.Directory.Delete(path, recursive: true);

    public void Move(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void SyncDirectory(string directory) => DirectorySync.Sync(directory);

    /// <summary>An exclusive <c>.lock</c> file (FileShare.None: flock on Unix, a share mode on Windows); the OS drops it if the process dies.</summary>
    public IDisposable LockDirectory(string directory)
    {
        try
        {
            return new FileStream(System.IO.Path.Combine(directory, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"the log directory '{directory}' is in use by another log instance or process", ex);
        }
    }
}

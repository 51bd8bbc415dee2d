namespace EdgeBroker.Storage;

/// <summary>The real file system (CONTRACT STUB).</summary>
public sealed class PhysicalFileIO : IFileIO
{
    public static PhysicalFileIO Instance { get; } = new();

    public IStorageFile Open(string path, FileMode mode) => throw new NotImplementedException();

    public bool FileExists(string path) => File.Exists(path);

    public bool DirectoryExists(string path) => System.IO.Directory.Exists(path);

    public void CreateDirectory(string path) => System.IO.Directory.CreateDirectory(path);

    public IReadOnlyList<string> ListFiles(string directory) => System.IO.Directory.GetFiles(directory);

    public IReadOnlyList<string> ListDirectories(string directory) => System.IO.Directory.GetDirectories(directory);

    public void DeleteFile(string path) => File.Delete(path);

    public void DeleteDirectory(string path) => System.IO.Directory.Delete(path, recursive: true);

    public void Move(string source, string destination) => File.Move(source, destination, overwrite: true);

    public void SyncDirectory(string directory) => throw new NotImplementedException();
}

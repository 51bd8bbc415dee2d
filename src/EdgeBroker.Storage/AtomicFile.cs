namespace EdgeBroker.Storage;

/// <summary>
/// Small metadata files written the mosquitto way, plus the directory fsync mosquitto lacks (R10):
/// write <c>x.tmp</c>, fsync it, rename to <c>x</c>, fsync the directory. A crash leaves the old or the
/// new content, never a partial one (F11). Thread-safety: callers serialise writers of one path.
/// </summary>
public static class AtomicFile
{
    public static void Write(IFileIO io, string path, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(path);
        var tmp = path + ".tmp";
        if (io.FileExists(tmp))
        {
            io.DeleteFile(tmp);
        }

        using (var file = io.Open(tmp, FileMode.CreateNew))
        {
            file.Write(0, content);
            file.Flush();
        }

        io.Move(tmp, path);
        io.SyncDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
    }

    /// <summary>The content, or null when the file does not exist. A stale x.tmp is removed.</summary>
    public static byte[]? Read(IFileIO io, string path)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(path);
        var tmp = path + ".tmp";
        if (io.FileExists(tmp))
        {
            // A crash between write and rename: the tmp was never committed (F11).
            io.DeleteFile(tmp);
        }

        if (!io.FileExists(path))
        {
            return null;
        }

        using var file = io.Open(path, FileMode.Open);
        var content = new byte[file.Length];
        var read = file.Read(0, content);
        return read == content.Length ? content : content[..read];
    }
}

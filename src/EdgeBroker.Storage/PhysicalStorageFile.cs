namespace EdgeBroker.Storage;

using Microsoft.Win32.SafeHandles;

/// <summary>
/// A file opened through <see cref="RandomAccess"/> (pread/pwrite). Not write-through: durability comes
/// only from <see cref="Flush"/> (one fsync per group-commit batch, R2). Thread-safety: positional reads
/// may run beside one writer; writes are serialised by the caller.
/// </summary>
internal sealed class PhysicalStorageFile : IStorageFile
{
    private readonly FileStream _stream;
    private readonly SafeFileHandle _handle;

    public PhysicalStorageFile(string path, FileMode mode)
    {
        Path = path;
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows() && mode is not (FileMode.Open or FileMode.Truncate))
        {
            // Data at rest: files 0600 (security defaults); payloads are nobody else's business.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // The stream only owns the handle; all I/O is positional through RandomAccess.
        _stream = new FileStream(path, options);
        _handle = _stream.SafeFileHandle;
    }

    public string Path { get; }

    public long Length => RandomAccess.GetLength(_handle);

    public int Read(long position, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(_handle, buffer[total..], position + total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    public void Write(long position, ReadOnlySpan<byte> data) => RandomAccess.Write(_handle, data, position);

    public void SetLength(long length) => RandomAccess.SetLength(_handle, length);

    // R1/R11: fsync on Unix, FlushFileBuffers on Windows; an error propagates and is never retried.
    public void Flush() => RandomAccess.FlushToDisk(_handle);

    public void Dispose() => _stream.Dispose();
}

namespace EdgeBroker.Storage;

/// <summary>Small metadata files written the mosquitto way: x.tmp, fsync, rename, fsync the directory (R10). CONTRACT STUB.</summary>
public static class AtomicFile
{
    public static void Write(IFileIO io, string path, ReadOnlySpan<byte> content) => throw new NotImplementedException();

    /// <summary>The content, or null when the file does not exist. A stale x.tmp is removed.</summary>
    public static byte[]? Read(IFileIO io, string path) => throw new NotImplementedException();
}

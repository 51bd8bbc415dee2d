namespace EdgeBroker.Storage;

/// <summary>
/// The clean-shutdown marker (R9, Kafka's <c>.kafka_cleanshutdown</c>): written last at a clean close, removed
/// (and the removal made durable) before the first append after open, so its presence proves every file
/// including the indexes was fsynced. Thread-safety: stateless.
/// </summary>
internal static class CleanShutdownMarker
{
    public static bool Exists(IFileIO io, string directory) => io.FileExists(PathOf(directory));

    public static void Write(IFileIO io, string directory) => AtomicFile.Write(io, PathOf(directory), "clean\n"u8);

    public static void Remove(IFileIO io, string directory)
    {
        if (io.FileExists(PathOf(directory)))
        {
            io.DeleteFile(PathOf(directory));
            io.SyncDirectory(directory);
        }
    }

    private static string PathOf(string directory) => Path.Combine(directory, SegmentFiles.CleanShutdownFile);
}

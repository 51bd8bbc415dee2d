namespace EdgeBroker.Storage;

/// <summary>
/// Safe segment deletion (F10): rename every file of the segment to <c>.deleted</c>, fsync the directory,
/// then unlink. Oldest segment first, one at a time, so a crash never leaves a hole in the middle of the log;
/// leftovers are finished by <see cref="LeftoverCleanup"/> on the next open. Thread-safety: stateless.
/// </summary>
internal static class SegmentDeleter
{
    public static void Delete(IFileIO io, string directory, long baseOffset)
    {
        foreach (var extension in SegmentFiles.Extensions)
        {
            var path = SegmentFiles.PathOf(directory, baseOffset, extension);
            if (io.FileExists(path))
            {
                io.Move(path, path + SegmentFiles.DeletedSuffix);
            }
        }

        io.SyncDirectory(directory);
        foreach (var extension in SegmentFiles.Extensions)
        {
            var path = SegmentFiles.PathOf(directory, baseOffset, extension) + SegmentFiles.DeletedSuffix;
            if (io.FileExists(path))
            {
                io.DeleteFile(path);
            }
        }
    }
}

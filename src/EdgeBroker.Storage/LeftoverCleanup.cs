namespace EdgeBroker.Storage;

using System.Buffers.Binary;

/// <summary>
/// Finishes or undoes interrupted file protocols before segments are opened (F10, F23):
/// a durable <c>compaction.swap</c> means the compaction committed, so every remaining <c>.cleaned</c> file is
/// renamed over its live file (roll forward); without it, <c>.cleaned</c> files are discarded (roll back).
/// <c>.deleted</c> files finish unlinking; index files without a segment and stale <c>.tmp</c> files go.
/// Every step is idempotent, so a crash during cleanup is cleaned up again on the next open.
/// Thread-safety: runs once, before the log is shared.
/// </summary>
internal static class LeftoverCleanup
{
    public static void Run(IFileIO io, string directory)
    {
        var swapPath = Path.Combine(directory, SegmentFiles.CompactionSwapFile);
        var swap = AtomicFile.Read(io, swapPath);
        if (swap is not null)
        {
            foreach (var baseOffset in DecodeSwapList(swap))
            {
                foreach (var extension in SegmentFiles.Extensions)
                {
                    var live = SegmentFiles.PathOf(directory, baseOffset, extension);
                    if (io.FileExists(live + SegmentFiles.CleanedSuffix))
                    {
                        io.Move(live + SegmentFiles.CleanedSuffix, live);
                    }
                }
            }

            io.SyncDirectory(directory);
            io.DeleteFile(swapPath);
            io.SyncDirectory(directory);
        }

        var files = io.ListFiles(directory);
        var logs = new HashSet<long>();
        foreach (var file in files)
        {
            if (SegmentFiles.TryParse(Path.GetFileName(file), SegmentFiles.LogExtension, out var b))
            {
                logs.Add(b);
            }
        }

        var changed = false;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var orphanIndex = (SegmentFiles.TryParse(name, SegmentFiles.IndexExtension, out var b1) && !logs.Contains(b1))
                || (SegmentFiles.TryParse(name, SegmentFiles.TimeIndexExtension, out var b2) && !logs.Contains(b2));
            if (orphanIndex || name.EndsWith(SegmentFiles.DeletedSuffix, StringComparison.Ordinal)
                || name.EndsWith(SegmentFiles.CleanedSuffix, StringComparison.Ordinal)
                || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                io.DeleteFile(file);
                changed = true;
            }
        }

        if (changed)
        {
            io.SyncDirectory(directory);
        }
    }

    /// <summary>The commit record of a compaction: count (i32) then the base offsets (i64 each), little-endian.</summary>
    public static byte[] EncodeSwapList(IReadOnlyList<long> baseOffsets)
    {
        var bytes = new byte[4 + (8 * baseOffsets.Count)];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, baseOffsets.Count);
        for (var i = 0; i < baseOffsets.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(4 + (8 * i)), baseOffsets[i]);
        }

        return bytes;
    }

    private static List<long> DecodeSwapList(byte[] bytes)
    {
        var result = new List<long>();
        if (bytes.Length < 4)
        {
            return result;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        for (var i = 0; i < count && 4 + (8 * (i + 1)) <= bytes.Length; i++)
        {
            result.Add(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(4 + (8 * i))));
        }

        return result;
    }
}

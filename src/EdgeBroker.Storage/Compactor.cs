namespace EdgeBroker.Storage;

/// <summary>
/// Key-based compaction of sealed segments with a crash-safe swap (F10). Offsets are preserved; compacted
/// segments have gaps. Protocol, each step durable before the next:
/// <code>
/// 1. write X.log.cleaned / X.index.cleaned / X.timeindex.cleaned, fsync each, fsync the directory
/// 2. AtomicFile compaction.swap  = the list of X           ← commit point
/// 3. rename every .cleaned over its live file, fsync the directory
/// 4. delete compaction.swap, fsync the directory
/// </code>
/// A crash before 2 leaves the old set (the .cleaned files are discarded on open); after 2 the open rolls
/// forward (renames what is left). Either the old or the new set is live, never a mix.
/// Thread-safety: runs under the log's maintenance lock; readers keep using the old files until the swap.
/// </summary>
internal sealed class Compactor(Log log, IFileIO io, LogOptions options)
{
    public CompactionResult Run(List<Segment> sealedSegments)
    {
        if (sealedSegments.Count == 0)
        {
            return new CompactionResult(0, 0, 0, 0);
        }

        var latest = LatestOffsetPerKey();
        var all = log.SnapshotAll();
        var planned = new List<(Segment Old, long NextBase)>();
        long removed = 0, before = 0, after = 0;
        foreach (var segment in sealedSegments)
        {
            var nextBase = all[all.IndexOf(segment) + 1].BaseOffset;
            var (written, removedHere) = TryRewrite(segment, nextBase, latest);
            if (written < 0)
            {
                continue;
            }

            planned.Add((segment, nextBase));
            removed += removedHere;
            before += segment.Size;
            after += written;
        }

        if (planned.Count == 0)
        {
            return new CompactionResult(0, 0, 0, 0);
        }

        var directory = log.Directory;
        io.SyncDirectory(directory);
        var swapPath = Path.Combine(directory, SegmentFiles.CompactionSwapFile);
        AtomicFile.Write(io, swapPath, LeftoverCleanup.EncodeSwapList(planned.Select(p => p.Old.BaseOffset).ToList()));
        foreach (var (old, _) in planned)
        {
            foreach (var extension in SegmentFiles.Extensions)
            {
                var live = SegmentFiles.PathOf(directory, old.BaseOffset, extension);
                io.Move(live + SegmentFiles.CleanedSuffix, live);
            }
        }

        io.SyncDirectory(directory);
        var swaps = planned.Select(p => (p.Old, OpenRewritten(p.Old.BaseOffset, p.NextBase))).ToList();
        log.ReplaceSegments(swaps);
        io.DeleteFile(swapPath);
        io.SyncDirectory(directory);
        return new CompactionResult(planned.Count, removed, before, after);
    }

    private Dictionary<string, long> LatestOffsetPerKey()
    {
        var latest = new Dictionary<string, long>(StringComparer.Ordinal);
        var offset = log.StartOffset;
        var end = log.ReadableEndOffset;
        while (offset < end)
        {
            IReadOnlyList<LogEntry> entries;
            try
            {
                entries = log.Read(offset, 4096);
            }
            catch (LogCorruptedException ex)
            {
                offset = Math.Max(offset + 1, ex.EndOffset);
                continue;
            }

            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                if (!entry.Key.IsEmpty)
                {
                    latest[Convert.ToBase64String(entry.Key.Span)] = entry.Offset;
                }
            }

            offset = entries[^1].Offset + 1;
        }

        return latest;
    }

    /// <summary>Writes the .cleaned files of one segment; (-1, 0) when nothing would change or the segment holds corrupt bytes (kept as is, R8).</summary>
    private (long Written, long Removed) TryRewrite(Segment segment, long nextBase, Dictionary<string, long> latest)
    {
        var kept = new List<List<LogEntry>>();
        long removed = 0, position = 0, expected = segment.BaseOffset;
        var size = segment.Size;
        var decoded = new List<LogEntry>();
        var cursor = new BatchCursor(segment.LogFile);
        while (position < size)
        {
            var bytes = cursor.TryRead(position, size, expected, nextBase, out var header);
            long budget = long.MaxValue;
            decoded.Clear();
            if (bytes is not { } batch || !RecordBatchReader.TryDecode(batch, header, header.BaseOffset, long.MaxValue, decoded, ref budget, int.MaxValue))
            {
                return (-1, 0);
            }

            position += header.Length;
            expected = header.NextOffset;

            // Tombstones in sealed segments are dropped together with every older value of their key.
            var survivors = decoded.Where(e => e.Key.IsEmpty || (!e.IsTombstone && latest.TryGetValue(Convert.ToBase64String(e.Key.Span), out var last) && last == e.Offset)).ToList();
            removed += decoded.Count - survivors.Count;
            if (survivors.Count > 0)
            {
                kept.Add(survivors);
            }
        }

        if (removed == 0)
        {
            return (-1, 0);
        }

        var directory = log.Directory;
        string PathOf(string extension) => SegmentFiles.PathOf(directory, segment.BaseOffset, extension) + SegmentFiles.CleanedSuffix;
        using var cleaned = new Segment(
            segment.BaseOffset,
            io.Open(PathOf(SegmentFiles.LogExtension), FileMode.Create),
            io.Open(PathOf(SegmentFiles.IndexExtension), FileMode.Create),
            io.Open(PathOf(SegmentFiles.TimeIndexExtension), FileMode.Create),
            options.IndexIntervalBytes);
        foreach (var survivors in kept)
        {
            var batch = RecordBatchWriter.EncodeEntries(survivors);
            RecordBatch.TryReadHeader(batch, batch.Length, out var header);
            cleaned.Append(batch, header);
        }

        cleaned.LogFile.Flush();
        cleaned.Seal(nextBase, writeFiles: true);
        return (cleaned.Size, removed);
    }

    private Segment OpenRewritten(long baseOffset, long nextBase)
    {
        var segment = Segment.Create(io, log.Directory, baseOffset, options.IndexIntervalBytes, FileMode.Open);
        var size = segment.LogFile.Length;
        var offsetIndex = OffsetIndex.TryParse(ReadAll(segment.IndexFile), size) ?? new OffsetIndex();
        var timeIndex = TimeIndex.TryParse(ReadAll(segment.TimeIndexFile)) ?? new TimeIndex();
        segment.UseLoadedIndexes(offsetIndex, timeIndex, size, sealedSegment: true, nextBase);
        return segment;
    }

    private static byte[] ReadAll(IStorageFile file)
    {
        var bytes = new byte[file.Length];
        file.Read(0, bytes);
        return bytes;
    }
}

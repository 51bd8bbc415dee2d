namespace EdgeBroker.Storage;

using System.Diagnostics;

/// <summary>
/// Opens and recovers the segments of one log directory (R8, R9), Kafka-style:
/// clean start → trust sealed segments' indexes after a sanity check and verify only the active tail;
/// unclean start → trust segments wholly below the recovery point, fully scan the rest, rebuild indexes,
/// truncate only a torn tail of the active segment, quarantine (never drop) anything bad before valid data.
/// Thread-safety: runs once per open, before the log is shared.
/// </summary>
internal sealed class LogRecovery(IFileIO io, string directory, LogOptions options)
{
    private readonly List<Quarantine> _quarantines = [];
    private int _scanned;
    private int _rebuilt;
    private long _truncated;

    public List<Segment> Segments { get; } = [];

    public IReadOnlyList<Quarantine> Quarantines => _quarantines;

    public RecoveryReport Run()
    {
        var clock = Stopwatch.StartNew();
        if (!io.DirectoryExists(directory))
        {
            io.CreateDirectory(directory);
        }

        LeftoverCleanup.Run(io, directory);
        var clean = CleanShutdownMarker.Exists(io, directory);
        var checkpoint = RecoveryCheckpoint.Read(io, directory);
        var bases = io.ListFiles(directory)
            .Select(f => SegmentFiles.TryParse(Path.GetFileName(f), SegmentFiles.LogExtension, out var b) ? b : -1)
            .Where(b => b >= 0)
            .Order()
            .ToList();

        try
        {
            for (var i = 0; i < bases.Count; i++)
            {
                var sealedSegment = i < bases.Count - 1;
                var maxNext = sealedSegment ? bases[i + 1] : long.MaxValue;
                var segment = Segment.Create(io, directory, bases[i], options.IndexIntervalBytes, FileMode.OpenOrCreate);
                Segments.Add(segment);
                var trusted = clean || (sealedSegment && maxNext <= checkpoint);
                if (!(trusted && TryLoadTrusted(segment, sealedSegment, maxNext)))
                {
                    ScanFully(segment, sealedSegment, maxNext);
                }
            }

            if (Segments.Count == 0)
            {
                // R7: an empty directory with a recovery point above 0 still never reuses the offsets below it.
                Segments.Add(Segment.Create(io, directory, checkpoint, options.IndexIntervalBytes, FileMode.CreateNew));
                io.SyncDirectory(directory);
            }

            // R9: from here on a crash must look unclean, and the next unclean start may skip the sealed segments.
            CleanShutdownMarker.Remove(io, directory);
            if (checkpoint != Segments[^1].BaseOffset)
            {
                RecoveryCheckpoint.Write(io, directory, Segments[^1].BaseOffset);
            }
        }
        catch
        {
            foreach (var segment in Segments)
            {
                segment.Dispose();
            }

            throw;
        }

        return new RecoveryReport(
            directory,
            clean,
            _scanned,
            _truncated,
            _rebuilt,
            _quarantines.Select(q => q.Range).ToList(),
            Segments[0].BaseOffset,
            Segments[^1].NextOffset,
            clock.Elapsed);
    }

    private static bool TryLoadTrusted(Segment segment, bool sealedSegment, long maxNext)
    {
        var size = segment.LogFile.Length;
        var offsetIndex = OffsetIndex.TryParse(ReadAll(segment.IndexFile), size);
        var timeIndex = TimeIndex.TryParse(ReadAll(segment.TimeIndexFile));
        if (offsetIndex is null || timeIndex is null)
        {
            return false;
        }

        long start = 0, startOffset = segment.BaseOffset;
        if (offsetIndex.Count > 0)
        {
            var (rel, pos) = offsetIndex[offsetIndex.Count - 1];
            start = pos;
            startOffset = segment.BaseOffset + rel;
            if (SegmentScanner.TryReadBatch(segment.LogFile, pos, size, startOffset, maxNext, out var h) is null || h.BaseOffset != startOffset)
            {
                return false;
            }
        }

        if (sealedSegment)
        {
            // A sealed segment's time index ends with (max timestamp, next rel); without it the index is stale.
            var complete = size == 0 || (timeIndex.Count > 0 && timeIndex.Last.Rel == maxNext - segment.BaseOffset);
            if (!complete)
            {
                return false;
            }

            segment.UseLoadedIndexes(offsetIndex, timeIndex, size, sealedSegment: true, maxNext);
            return true;
        }

        // Active segment on a clean start: verify the tail from the last index entry cheaply.
        var maxTimestamp = long.MinValue;
        var tail = SegmentScanner.Scan(segment.LogFile, start, startOffset, size, maxNext, (_, h) => maxTimestamp = Math.Max(maxTimestamp, h.MaxTimestamp));
        if (tail.TailStart >= 0 || tail.Quarantines.Count > 0 || (timeIndex.Count > 0 && segment.BaseOffset + timeIndex.Last.Rel > tail.NextOffset))
        {
            return false;
        }

        segment.UseLoadedIndexes(offsetIndex, timeIndex, size, sealedSegment: false, tail.NextOffset);
        segment.ResumeIndexingAt(size - start, maxTimestamp, tail.NextOffset);
        return true;
    }

    private void ScanFully(Segment segment, bool sealedSegment, long maxNext)
    {
        _scanned++;
        segment.ResetIndexes();
        var file = segment.LogFile;
        var length = file.Length;
        var result = SegmentScanner.Scan(file, 0, segment.BaseOffset, length, maxNext, (p, h) => segment.IndexBatch(p, h));
        _quarantines.AddRange(result.Quarantines);
        var size = length;
        if (result.TailStart >= 0)
        {
            if (sealedSegment)
            {
                // R8: a sealed segment was fsynced before the roll; bad bytes at its end are corruption, not a torn write.
                _quarantines.Add(new Quarantine(
                    new CorruptRange(file.Path, result.TailStart, result.NextOffset, maxNext, "bad bytes at the end of a sealed segment"),
                    -1));
            }
            else
            {
                // F04/F05: only the unsynced tail of the active segment can be torn; cut it off.
                _truncated += length - result.TailStart;
                file.SetLength(result.TailStart);
                file.Flush();
                size = result.TailStart;
            }
        }

        segment.SetScannedState(size, result.NextOffset);
        if (sealedSegment)
        {
            segment.Seal(maxNext, writeFiles: false);
        }

        if (segment.RewriteIndexFilesIfDifferent())
        {
            _rebuilt++;
        }
    }

    private static byte[] ReadAll(IStorageFile file)
    {
        var bytes = new byte[file.Length];
        var read = file.Read(0, bytes);
        return read == bytes.Length ? bytes : bytes[..read];
    }
}

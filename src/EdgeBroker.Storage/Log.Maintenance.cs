namespace EdgeBroker.Storage;

/// <summary>Retention and compaction of <see cref="Log"/>. Maintenance calls are serialised; the active segment is never touched.</summary>
public sealed partial class Log
{
    /// <summary>Deletes whole sealed segments past the age/size limits. Never the active segment.</summary>
    public RetentionResult EnforceRetention()
    {
        lock (_maintenanceGate)
        {
            var sealedSegments = SnapshotSealed();
            var count = 0;
            if (Options.RetentionAge is { } age)
            {
                // F25: "now" only ever shrinks the set when the clock jumps back; the active segment is excluded.
                var cutoff = Options.Time.GetUtcNow().ToUnixTimeMilliseconds() - (long)age.TotalMilliseconds;
                while (count < sealedSegments.Count && sealedSegments[count].MaxTimestamp < cutoff)
                {
                    count++;
                }
            }

            if (Options.RetentionBytes is { } limit)
            {
                var total = SizeBytes - sealedSegments.Take(count).Sum(s => s.SizeOnDisk);
                while (count < sealedSegments.Count && total > limit)
                {
                    total -= sealedSegments[count].SizeOnDisk;
                    count++;
                }
            }

            return DeleteOldest(count);
        }
    }

    /// <summary>Deletes whole segments that lie entirely below <paramref name="offset"/> (queues drop fully acked segments; streams truncate).</summary>
    public RetentionResult DeleteSegmentsBefore(long offset)
    {
        lock (_maintenanceGate)
        {
            var sealedSegments = SnapshotSealed();
            var count = 0;
            while (count < sealedSegments.Count && NextBase(count) <= offset)
            {
                count++;
            }

            return DeleteOldest(count);
        }
    }

    /// <summary>Rewrites sealed segments keeping the last record per key and dropping tombstones older than the active segment.</summary>
    public CompactionResult Compact()
    {
        lock (_maintenanceGate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return new Compactor(this, _io, Options).Run(SnapshotSealed());
        }
    }

    internal List<Segment> SnapshotAll()
    {
        _structure.EnterReadLock();
        try
        {
            return [.. _segments];
        }
        finally
        {
            _structure.ExitReadLock();
        }
    }

    /// <summary>Compaction's commit: swaps live segments for rewritten ones under the structure lock.</summary>
    internal void ReplaceSegments(IReadOnlyList<(Segment Old, Segment New)> swaps)
    {
        _structure.EnterWriteLock();
        try
        {
            foreach (var (old, replacement) in swaps)
            {
                _segments[_segments.IndexOf(old)] = replacement;
                old.Dispose();
                DropQuarantines(old);
            }
        }
        finally
        {
            _structure.ExitWriteLock();
        }
    }

    private List<Segment> SnapshotSealed()
    {
        var all = SnapshotAll();
        all.RemoveAt(all.Count - 1);
        return all;
    }

    private long NextBase(int index)
    {
        _structure.EnterReadLock();
        try
        {
            return _segments[index + 1].BaseOffset;
        }
        finally
        {
            _structure.ExitReadLock();
        }
    }

    private RetentionResult DeleteOldest(int count)
    {
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            Segment victim;
            _structure.EnterWriteLock();
            try
            {
                victim = _segments[0];
                _segments.RemoveAt(0);
                bytes += victim.SizeOnDisk;
                victim.Dispose();
                DropQuarantines(victim);
            }
            finally
            {
                _structure.ExitWriteLock();
            }

            SegmentDeleter.Delete(_io, Directory, victim.BaseOffset);
        }

        return new RetentionResult(count, bytes, StartOffset);
    }

    private void DropQuarantines(Segment segment)
    {
        lock (_quarantineGate)
        {
            _quarantines.RemoveAll(q => q.Range.SegmentFile == segment.LogFile.Path);
        }
    }
}

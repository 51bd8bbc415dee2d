namespace EdgeBroker.Storage;

/// <summary>The read side of <see cref="Log"/>: offset reads, time lookups and quarantined ranges (R6, R8).</summary>
public sealed partial class Log
{
    /// <summary>
    /// Reads records at offsets ≥ <paramref name="offset"/> (starting at <see cref="StartOffset"/> if older) below
    /// <see cref="ReadableEndOffset"/>. Throws <see cref="LogCorruptedException"/> when the range starting at
    /// <paramref name="offset"/> is quarantined; the caller may resume at <see cref="LogCorruptedException.EndOffset"/>
    /// (exclusive end of the range). Returns at least one record when one is readable, even past <paramref name="maxBytes"/>.
    /// </summary>
    public IReadOnlyList<LogEntry> Read(long offset, int maxRecords, int maxBytes = int.MaxValue)
    {
        var result = new List<LogEntry>();
        if (maxRecords <= 0)
        {
            return result;
        }

        var end = ReadableEndOffset;
        long budget = maxBytes;
        _structure.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            offset = Math.Max(offset, _segments[0].BaseOffset);
            if (offset >= end)
            {
                return result;
            }

            ThrowIfQuarantined(offset);
            for (var i = FindSegment(offset); i < _segments.Count; i++)
            {
                var segment = _segments[i];
                var maxNext = i < _segments.Count - 1 ? _segments[i + 1].BaseOffset : long.MaxValue;
                var entry = segment.OffsetIndex.LookupEntry(Math.Max(offset, segment.BaseOffset) - segment.BaseOffset);
                var expected = segment.BaseOffset + entry.Rel;
                long position = entry.Position;
                var limit = segment.VisibleSize;
                var cursor = new BatchCursor(segment.LogFile);
                while (position < limit)
                {
                    var bytes = cursor.TryRead(position, limit, expected, maxNext, out var header);
                    if (bytes is null)
                    {
                        var quarantine = FindOrAddQuarantine(segment, position, limit, expected, maxNext, end);
                        if (offset < quarantine.Range.EndOffset)
                        {
                            return result.Count > 0 ? result : throw new LogCorruptedException(quarantine.Range);
                        }

                        if (quarantine.ResumePosition < 0)
                        {
                            break;
                        }

                        position = quarantine.ResumePosition;
                        continue;
                    }

                    position += header.Length;
                    expected = header.NextOffset;
                    if (header.NextOffset <= offset)
                    {
                        continue;
                    }

                    if (header.BaseOffset >= end)
                    {
                        return result;
                    }

                    if (!RecordBatchReader.TryDecode(bytes.Value, header, offset, end, result, ref budget, maxRecords))
                    {
                        var range = new CorruptRange(segment.LogFile.Path, position - header.Length, header.BaseOffset, header.NextOffset, "malformed records inside a batch with a valid CRC");
                        return result.Count > 0 ? result : throw new LogCorruptedException(range);
                    }

                    if (budget < 0 || result.Count >= maxRecords)
                    {
                        return result;
                    }

                    offset = Math.Max(offset, header.NextOffset);
                }
            }

            return result;
        }
        finally
        {
            _structure.ExitReadLock();
        }
    }

    /// <summary>The first offset whose timestamp is ≥ <paramref name="timestampMs"/>, or <see cref="ReadableEndOffset"/> if none.</summary>
    public long FindOffsetByTime(long timestampMs)
    {
        var end = ReadableEndOffset;
        var found = new List<LogEntry>();
        _structure.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            for (var i = 0; i < _segments.Count; i++)
            {
                var segment = _segments[i];
                if (segment.MaxTimestamp < timestampMs)
                {
                    continue;
                }

                var maxNext = i < _segments.Count - 1 ? _segments[i + 1].BaseOffset : long.MaxValue;
                var start = segment.BaseOffset + segment.TimeIndex.StartRelFor(timestampMs);
                var entry = segment.OffsetIndex.LookupEntry(start - segment.BaseOffset);
                var expected = segment.BaseOffset + entry.Rel;
                long position = entry.Position;
                var limit = segment.VisibleSize;
                var cursor = new BatchCursor(segment.LogFile);
                while (position < limit)
                {
                    var bytes = cursor.TryRead(position, limit, expected, maxNext, out var header);
                    if (bytes is null)
                    {
                        // Quarantined bytes cannot answer a time query; skip to where valid batches resume.
                        var quarantine = FindOrAddQuarantine(segment, position, limit, expected, maxNext, end);
                        if (quarantine.ResumePosition < 0)
                        {
                            break;
                        }

                        position = quarantine.ResumePosition;
                        continue;
                    }

                    position += header.Length;
                    expected = header.NextOffset;
                    if (header.BaseOffset >= end)
                    {
                        return end;
                    }

                    if (header.MaxTimestamp < timestampMs)
                    {
                        continue;
                    }

                    found.Clear();
                    long budget = long.MaxValue;
                    RecordBatchReader.TryDecode(bytes.Value, header, header.BaseOffset, end, found, ref budget, int.MaxValue);
                    foreach (var record in found)
                    {
                        if (record.TimestampMs >= timestampMs)
                        {
                            return record.Offset;
                        }
                    }
                }
            }

            return end;
        }
        finally
        {
            _structure.ExitReadLock();
        }
    }

    private int FindSegment(long offset)
    {
        var index = 0;
        for (var i = 0; i < _segments.Count; i++)
        {
            if (_segments[i].BaseOffset <= offset)
            {
                index = i;
            }
            else
            {
                break;
            }
        }

        return index;
    }

    private void ThrowIfQuarantined(long offset)
    {
        lock (_quarantineGate)
        {
            foreach (var q in _quarantines)
            {
                if (offset >= q.Range.StartOffset && offset < q.Range.EndOffset)
                {
                    throw new LogCorruptedException(q.Range);
                }
            }
        }
    }

    /// <summary>R8: a bad batch found by a read is quarantined like one found by recovery; nothing is dropped.</summary>
    private Quarantine FindOrAddQuarantine(Segment segment, long position, long limit, long expected, long maxNext, long end)
    {
        lock (_quarantineGate)
        {
            foreach (var q in _quarantines)
            {
                if (q.Range.FilePosition == position && q.Range.SegmentFile == segment.LogFile.Path)
                {
                    return q;
                }
            }

            var resume = SegmentScanner.FindNextValid(segment.LogFile, position + 1, limit, expected, maxNext);
            long endOffset = maxNext == long.MaxValue ? end : maxNext;
            if (resume >= 0)
            {
                SegmentScanner.TryReadBatch(segment.LogFile, resume, limit, expected, maxNext, out var next);
                endOffset = next.BaseOffset;
            }

            var quarantine = new Quarantine(new CorruptRange(segment.LogFile.Path, position, expected, endOffset, "batch failed validation on read (bad CRC, length or header)"), resume);
            _quarantines.Add(quarantine);
            return quarantine;
        }
    }
}

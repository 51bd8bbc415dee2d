namespace EdgeBroker.Storage;

using System.Diagnostics;

/// <summary>The append side of <see cref="Log"/>: encoding on the caller, writing and rolling on the writer task.</summary>
public sealed partial class Log
{
    /// <summary>Completes with the record's offset once it is durable under the fsync policy; faults with <see cref="LogWriteException"/> otherwise.</summary>
    public ValueTask<long> AppendAsync(LogRecord record, CancellationToken cancellationToken = default) =>
        AppendAsync([record], cancellationToken);

    /// <summary>Appends several records contiguously (one batch); completes with the first offset.</summary>
    public ValueTask<long> AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("At least one record is needed.", nameof(records));
        }

        foreach (var record in records)
        {
            if ((long)record.Key.Length + record.Value.Length > Options.MaxRecordBytes)
            {
                throw new ArgumentException($"A record of {record.Key.Length + record.Value.Length} bytes exceeds MaxRecordBytes ({Options.MaxRecordBytes}).", nameof(records));
            }
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<long>(cancellationToken);
        }

        if (IsReadOnly || Volatile.Read(ref _disposed) != 0)
        {
            return ValueTask.FromException<long>(new LogWriteException(IsReadOnly ? "the log is read-only after a write or fsync error (R11); reopen it to recover" : "the log is closed"));
        }

        var buffer = RecordBatchWriter.EncodeForAppend(records, out var length);
        if (length > Options.SegmentBytes)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw new ArgumentException($"The batch ({length} bytes) is larger than SegmentBytes ({Options.SegmentBytes}).", nameof(records));
        }

        var append = new PendingAppend(buffer, length, records.Count);
        if (!_writer.TryEnqueue(append))
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            return ValueTask.FromException<long>(new LogWriteException("the log is closed"));
        }

        // Cancelling only stops the wait: the batch may still become durable (an unknown outcome, never a false ack).
        return new ValueTask<long>(append.Completion.Task.WaitAsync(cancellationToken));
    }

    internal bool HasUnsyncedData => Volatile.Read(ref _durableEnd) < Volatile.Read(ref _nextOffset);

    /// <summary>Writer task: assigns the offset, seals the batch, rolls the segment if it would overflow, writes.</summary>
    internal long WriteBatch(PendingAppend append)
    {
        var active = _active;
        if (active.Size > 0 && active.Size + append.Length > Options.SegmentBytes)
        {
            Roll();
            active = _active;
        }

        var baseOffset = _nextOffset;
        var span = append.Buffer.AsSpan(0, append.Length);
        RecordBatch.Seal(span, baseOffset);
        RecordBatch.TryReadHeader(span, span.Length, out var header);
        active.Append(span, header);

        // R7: offsets only move forward; a failed batch's offsets are simply never acknowledged.
        Volatile.Write(ref _nextOffset, header.NextOffset);
        return baseOffset;
    }

    /// <summary>Writer task: one fsync of the active segment, then the data becomes durable and visible (R1, R6).</summary>
    internal void SyncActive()
    {
        FlushMeasured(_active);
        Volatile.Write(ref _durableEnd, _nextOffset);
        PublishWritten();
    }

    /// <summary>Writer task: makes everything written visible to readers.</summary>
    internal void PublishWritten()
    {
        if (ReadableEndOffset == _nextOffset)
        {
            return;
        }

        _active.PublishVisible(_active.Size);
        Volatile.Write(ref _visibleEnd, _nextOffset);
        SignalData();
    }

    private void FlushMeasured(Segment segment)
    {
        if (Options.FsyncLatency is not { } histogram)
        {
            segment.LogFile.Flush();
            return;
        }

        var started = Stopwatch.GetTimestamp();
        segment.LogFile.Flush();
        histogram.Record(Stopwatch.GetTimestamp() - started);
    }

    internal void EnterReadOnly() => Volatile.Write(ref _readOnly, 1);

    /// <summary>
    /// R10: the old segment and its indexes are fsynced before the new segment exists, and the directory is
    /// fsynced after creating it, so a crash mid-roll leaves at worst an empty (or absent) active segment (F09).
    /// </summary>
    private void Roll()
    {
        var old = _active;
        FlushMeasured(old);
        old.Seal(_nextOffset, writeFiles: true);
        var next = Segment.Create(_io, Directory, _nextOffset, Options.IndexIntervalBytes, FileMode.CreateNew);
        _io.SyncDirectory(Directory);
        old.PublishVisible(old.Size);
        _structure.EnterWriteLock();
        try
        {
            _segments.Add(next);
            _active = next;
        }
        finally
        {
            _structure.ExitWriteLock();
        }

        RecoveryCheckpoint.Write(_io, Directory, next.BaseOffset);
    }
}

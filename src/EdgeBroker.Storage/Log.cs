namespace EdgeBroker.Storage;

/// <summary>
/// A durable append-only log: a directory of segments named by base offset (see README.md).
/// Thread-safety: appends and reads may come from any thread concurrently; one internal writer task
/// serialises appends (group commit, R2). Structural changes (roll, retention, compaction) take the
/// structure lock for writing; reads hold it for reading; maintenance calls are serialised among themselves.
/// </summary>
public sealed partial class Log : IAsyncDisposable
{
    private readonly IFileIO _io;
    private readonly ReaderWriterLockSlim _structure = new(LockRecursionPolicy.NoRecursion);
    private readonly List<Segment> _segments;
    private readonly List<Quarantine> _quarantines;
    private readonly object _quarantineGate = new();
    private readonly object _maintenanceGate = new();
    private readonly LogWriter _writer;
    private readonly IDisposable _directoryLock;
    private Segment _active;
    private long _nextOffset;
    private long _visibleEnd;
    private long _durableEnd;
    private int _readOnly;
    private int _disposed;
    private TaskCompletionSource _dataSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Log(string directory, LogOptions options, List<Segment> segments, IReadOnlyList<Quarantine> quarantines, IDisposable directoryLock)
    {
        _directoryLock = directoryLock;
        Directory = directory;
        Options = options;
        _io = options.FileIO;
        _segments = segments;
        _quarantines = [.. quarantines];
        _active = segments[^1];
        _nextOffset = _active.NextOffset;
        _visibleEnd = _nextOffset;
        _durableEnd = _nextOffset;
        _writer = new LogWriter(this, options);
    }

    public string Directory { get; }

    public LogOptions Options { get; }

    /// <summary>The first offset still held (retention moves it forward).</summary>
    public long StartOffset
    {
        get
        {
            _structure.EnterReadLock();
            try
            {
                return _segments[0].BaseOffset;
            }
            finally
            {
                _structure.ExitReadLock();
            }
        }
    }

    /// <summary>The offset the next append will get. Never reused (R7).</summary>
    public long EndOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Readers see offsets below this only: the durable end under fsync=always (R6), else the written end.</summary>
    public long ReadableEndOffset => Volatile.Read(ref _visibleEnd);

    /// <summary>The end of what has been fsynced (equals <see cref="ReadableEndOffset"/> under fsync=always).</summary>
    public long DurableEndOffset => Volatile.Read(ref _durableEnd);

    /// <summary>True after an fsync or write error (R11): appends fail until the log is reopened (recovery runs again).</summary>
    public bool IsReadOnly => Volatile.Read(ref _readOnly) != 0;

    public long SizeBytes
    {
        get
        {
            _structure.EnterReadLock();
            try
            {
                return _segments.Sum(s => s.SizeOnDisk);
            }
            finally
            {
                _structure.ExitReadLock();
            }
        }
    }

    public int SegmentCount
    {
        get
        {
            _structure.EnterReadLock();
            try
            {
                return _segments.Count;
            }
            finally
            {
                _structure.ExitReadLock();
            }
        }
    }

    /// <summary>The quarantined ranges known so far (from recovery or found by reads).</summary>
    public IReadOnlyList<CorruptRange> CorruptRanges
    {
        get
        {
            lock (_quarantineGate)
            {
                return _quarantines.Select(q => q.Range).ToList();
            }
        }
    }

    /// <summary>Opens (creating if needed) and recovers the log in <paramref name="directory"/>.</summary>
    public static Log Open(string directory, LogOptions options, out RecoveryReport report)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.FileIO.DirectoryExists(directory))
        {
            options.FileIO.CreateDirectory(directory);
        }

        var directoryLock = options.FileIO.LockDirectory(directory);
        try
        {
            var recovery = new LogRecovery(options.FileIO, directory, options);
            report = recovery.Run();
            return new Log(directory, options, recovery.Segments, recovery.Quarantines, directoryLock);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>Completes when <see cref="ReadableEndOffset"/> &gt; <paramref name="offset"/> (long-poll readers).</summary>
    public async Task WaitForDataAsync(long offset, CancellationToken cancellationToken)
    {
        while (true)
        {
            var signal = Volatile.Read(ref _dataSignal);
            if (ReadableEndOffset > offset)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            await signal.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drains pending appends, fsyncs, writes the clean-shutdown marker and closes files.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        try
        {
            if (!IsReadOnly)
            {
                _active.LogFile.Flush();
                _active.IndexFile.Flush();
                _active.TimeIndexFile.Flush();
                CleanShutdownMarker.Write(_io, Directory);
            }
        }
        catch (IOException)
        {
            // No clean marker: the next open runs full recovery of the active segment, which is the safe outcome.
        }
        finally
        {
            _structure.EnterWriteLock();
            try
            {
                foreach (var segment in _segments)
                {
                    segment.Dispose();
                }
            }
            finally
            {
                _structure.ExitWriteLock();
            }

            _directoryLock.Dispose();
            SignalData();
        }
    }

    private void SignalData()
    {
        var previous = Interlocked.Exchange(ref _dataSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}

namespace EdgeBroker.Core.Persistence;

using System.Text;
using EdgeBroker.Storage;

/// <summary>
/// A durable map from string keys to byte values on one compacted <see cref="Log"/>: every write is a record
/// (key = UTF-8 key, value = the bytes; delete = tombstone), the whole map lives in memory, and opening replays
/// the log. Used for the retained store, queue and topology declarations, sessions and consumer offsets.
/// Thread-safe: one lock guards the in-memory map; appends run outside it.
/// </summary>
/// <remarks>
/// Concurrent writes of one key: the log order decides which value survives a restart, so the in-memory map
/// applies a completed write only if its offset is newer than the one it holds (a tombstone is remembered
/// with its offset for the same reason). <see cref="SetAsync"/> keeps a reference to the value buffer
/// (no copy): callers hand over ownership.
/// Compaction: <see cref="Log.Compact"/> rewrites sealed segments keeping the last record per key. It is
/// started in the background once the log holds at least <c>compactionMinRecords</c> records and the dead
/// share (overwritten values and tombstones) reaches <c>compactionDeadRatio</c>; after each run the next one
/// waits for another <c>compactionMinRecords</c> writes, because the active segment is never compacted.
/// </remarks>
public sealed class KeyValueLog : IAsyncDisposable
{
    private readonly Log _log;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly long _compactionMinRecords;
    private readonly double _compactionDeadRatio;
    private long _recordsInLog;
    private long _nextCompactionAt;
    private int _liveCount;
    private Task _compaction = Task.CompletedTask;
    private bool _disposed;

    private KeyValueLog(Log log, long compactionMinRecords, double compactionDeadRatio)
    {
        _log = log;
        _time = log.Options.Time;
        _compactionMinRecords = compactionMinRecords;
        _compactionDeadRatio = compactionDeadRatio;
        _nextCompactionAt = long.MaxValue; // no compaction while replaying; set after Replay
    }

    public string Directory => _log.Directory;

    /// <summary>Live keys.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _liveCount;
            }
        }
    }

    /// <summary>Records the log currently holds (live values, overwritten values, tombstones), as far as this instance knows.</summary>
    public long RecordsInLog
    {
        get
        {
            lock (_lock)
            {
                return _recordsInLog;
            }
        }
    }

    public long SizeBytes => _log.SizeBytes;

    /// <summary>True once a write or fsync error stopped the log (R11).</summary>
    public bool IsReadOnly => _log.IsReadOnly;

    /// <summary>Records replay had to skip: quarantined ranges of the log (R8) and records without a key.</summary>
    public long SkippedRecords { get; private set; }

    /// <summary>Opens (creating if needed) the log in <paramref name="directory"/> and replays it into memory.</summary>
    public static KeyValueLog Open(string directory, LogOptions options, out RecoveryReport report, long compactionMinRecords = 1024, double compactionDeadRatio = 0.5)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(compactionMinRecords, 1);
        if (compactionDeadRatio is <= 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(compactionDeadRatio), compactionDeadRatio, "The dead ratio must be in (0, 1].");
        }

        var log = Log.Open(directory, options, out report);
        var map = new KeyValueLog(log, compactionMinRecords, compactionDeadRatio);
        try
        {
            map.Replay();
        }
        catch
        {
            log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return map;
    }

    public bool TryGet(string key, out ReadOnlyMemory<byte> value)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            if (_slots.TryGetValue(key, out var slot) && !slot.Deleted)
            {
                value = slot.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The live entries at this instant, in no particular order.</summary>
    public IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> Snapshot()
    {
        lock (_lock)
        {
            var result = new List<KeyValuePair<string, ReadOnlyMemory<byte>>>(_liveCount);
            foreach (var (key, slot) in _slots)
            {
                if (!slot.Deleted)
                {
                    result.Add(new(key, slot.Value));
                }
            }

            return result;
        }
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; completes once durable under the log's fsync policy.</summary>
    /// <exception cref="LogWriteException">The write was not made durable; the map is unchanged.</exception>
    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        var keyBytes = EncodeKey(key);
        var offset = await _log.AppendAsync(new LogRecord(keyBytes, value, Now()), cancellationToken).ConfigureAwait(false);
        Apply(key, new Slot(offset, value, Deleted: false));
    }

    /// <summary>Removes <paramref name="key"/> (a tombstone record); returns whether it was present when called.</summary>
    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var keyBytes = EncodeKey(key);
        var existed = TryGet(key, out _);

        // Always written, even when absent: a concurrent SetAsync may not have completed yet.
        var offset = await _log.AppendAsync(LogRecord.Tombstone(keyBytes, Now()), cancellationToken).ConfigureAwait(false);
        Apply(key, new Slot(offset, ReadOnlyMemory<byte>.Empty, Deleted: true));
        return existed;
    }

    /// <summary>
    /// <see cref="SetAsync"/> for callers with a synchronous contract (topology declarations: rare writes that
    /// must be durable when the call returns). Blocks the calling thread for one group commit; safe from
    /// deadlock because the log completes appends on the thread pool. Never use it on a hot path.
    /// </summary>
    public void Set(string key, ReadOnlyMemory<byte> value) => SetAsync(key, value).AsTask().GetAwaiter().GetResult();

    /// <summary><see cref="DeleteAsync"/> for synchronous contracts; same caveats as <see cref="Set"/>.</summary>
    public bool Delete(string key) => DeleteAsync(key).AsTask().GetAwaiter().GetResult();

    /// <summary>Compacts now (synchronously) and returns what the log reported.</summary>
    public CompactionResult Compact()
    {
        var result = _log.Compact();
        lock (_lock)
        {
            _recordsInLog = Math.Max(_liveCount, _recordsInLog - result.RecordsRemoved);
            _nextCompactionAt = _recordsInLog + _compactionMinRecords;
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        Task compaction;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            compaction = _compaction;
        }

        try
        {
            await compaction.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A failed background compaction leaves the old segments live (F10); nothing to do on close.
        }

        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private void Replay()
    {
        var offset = _log.StartOffset;
        while (offset < _log.ReadableEndOffset)
        {
            IReadOnlyList<LogEntry> entries;
            try
            {
                entries = _log.Read(offset, 1024);
            }
            catch (LogCorruptedException ex)
            {
                // R8: the range stays quarantined in the log; the map keeps whatever else it can read.
                SkippedRecords += Math.Max(1, ex.EndOffset - offset);
                offset = Math.Max(offset + 1, ex.EndOffset);
                continue;
            }

            if (entries.Count == 0)
            {
                break;
            }

            foreach (var entry in entries)
            {
                if (entry.Key.IsEmpty)
                {
                    SkippedRecords++;
                    continue;
                }

                var key = Encoding.UTF8.GetString(entry.Key.Span);
                Apply(key, new Slot(entry.Offset, entry.Value, entry.IsTombstone));
            }

            offset = entries[^1].Offset + 1;
        }

        lock (_lock)
        {
            _nextCompactionAt = Math.Max(_compactionMinRecords, _recordsInLog);
        }
    }

    private void Apply(string key, Slot slot)
    {
        lock (_lock)
        {
            _recordsInLog++;
            var exists = _slots.TryGetValue(key, out var current);
            if (exists && current.Offset > slot.Offset)
            {
                return; // a newer write of this key already completed
            }

            var wasLive = exists && !current.Deleted;
            _slots[key] = slot;
            _liveCount += (slot.Deleted ? 0 : 1) - (wasLive ? 1 : 0);
            if (!_disposed && _compaction.IsCompleted && _recordsInLog >= _nextCompactionAt
                && _recordsInLog - _liveCount >= _recordsInLog * _compactionDeadRatio)
            {
                _nextCompactionAt = _recordsInLog + _compactionMinRecords;
                _compaction = Task.Run(RunBackgroundCompaction);
            }
        }
    }

    private void RunBackgroundCompaction()
    {
        try
        {
            Compact();
        }
        catch (IOException)
        {
            // Compaction is an optimisation: the log keeps the old segments (F10) and the next trigger retries.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static byte[] EncodeKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Encoding.UTF8.GetBytes(key);
    }

    private readonly record struct Slot(long Offset, ReadOnlyMemory<byte> Value, bool Deleted);
}

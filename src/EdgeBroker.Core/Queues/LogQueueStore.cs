namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;

/// <summary>
/// The embedded <see cref="IQueueStore"/>: one directory per queue under a root data directory.
/// </summary>
/// <remarks>
/// <code>
///  &lt;root&gt;/
///    &lt;queue name&gt;/            name restricted to [A-Za-z0-9._-], ≤ 200 chars (QueueNames)
///      queue.meta               the declaration (QueueOptionsSerializer), written with AtomicFile (R10)
///      messages/                Log: one record per enqueue, offset = message id
///      acks/                    Log: settlement records
/// </code>
/// A queue exists exactly when its queue.meta does. Declare writes queue.meta before opening the logs; delete
/// removes queue.meta (and syncs the root) before removing the rest. So a directory without queue.meta is the
/// leftover of an interrupted declare or delete and is removed on open: its messages belong to no queue. A
/// directory holding anything else (another component's data under a shared root) is left untouched.
/// Auto-delete queues belong to connections of a previous process and are deleted on open.
/// Thread-safety: one store lock guards the name → queue map; declare and delete do their (small) I/O under
/// it. Queue locks are never held while taking the store lock.
/// </remarks>
public sealed class LogQueueStore : IQueueStore
{
    private const string MetaFile = "queue.meta";

    private static readonly QueueOptions DeadLetterQueueOptions = new() { DeliveryLimit = null, DeadLetterQueue = "" };

    private readonly string _root;
    private readonly LogOptions _logOptions;
    private readonly TimeProvider _time;
    private readonly IFileIO _io;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LogQueue> _queues = new(StringComparer.Ordinal);
    private readonly ITimer? _maintenance;
    private bool _disposed;
    private int _maintaining;

    private readonly long _maxResidentBytesPerQueue;

    private LogQueueStore(string root, LogOptions logOptions, TimeProvider time, TimeSpan? maintenanceInterval, long maxResidentBytesPerQueue)
    {
        _maxResidentBytesPerQueue = maxResidentBytesPerQueue;
        _root = root;
        _logOptions = logOptions;
        _time = time;
        _io = logOptions.FileIO;
        if (maintenanceInterval is { } interval && interval > TimeSpan.Zero)
        {
            _maintenance = time.CreateTimer(_ => RunMaintenance(), null, interval, interval);
        }
    }

    public IReadOnlyCollection<IDurableQueue> All
    {
        get
        {
            lock (_lock)
            {
                return [.. _queues.Values];
            }
        }
    }

    /// <summary>Queues and leftovers handled by the last open (for the host to log).</summary>
    public IReadOnlyList<string> OpenNotes { get; private set; } = [];

    /// <summary>What opening each queue's logs found (messages and acks log per queue), for the host to log.</summary>
    public IReadOnlyList<RecoveryReport> RecoveryReports { get; private set; } = [];

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="rootDirectory"/> and every queue declared there.
    /// <paramref name="time"/> drives TTL and expiry (default: <see cref="LogOptions.Time"/>);
    /// <paramref name="maintenanceInterval"/> is how often expired messages are swept and settled segments freed
    /// (default 1 s; zero or negative = never, call <see cref="RunMaintenance"/> yourself);
    /// <paramref name="maxResidentBytesPerQueue"/> is how many bytes of ready messages a queue keeps in memory
    /// before the rest of its backlog stays on disk only (default 16 MiB, F14).
    /// </summary>
    public static LogQueueStore Open(string rootDirectory, LogOptions logOptions, TimeProvider? time = null, TimeSpan? maintenanceInterval = null, long? maxResidentBytesPerQueue = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(logOptions);
        logOptions.Validate();
        var resident = maxResidentBytesPerQueue ?? 16L * 1024 * 1024;
        ArgumentOutOfRangeException.ThrowIfLessThan(resident, 1, nameof(maxResidentBytesPerQueue));
        var store = new LogQueueStore(rootDirectory, logOptions, time ?? logOptions.Time, maintenanceInterval ?? TimeSpan.FromSeconds(1), resident);
        try
        {
            store.OpenExisting();
        }
        catch
        {
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }

        return store;
    }

    public IDurableQueue Declare(string name, QueueOptions options) => DeclareQueue(name, options);

    /// <summary>Like <see cref="Declare"/>, typed.</summary>
    /// <exception cref="ArgumentException">Invalid name or options; the message says why.</exception>
    public LogQueue DeclareQueue(string name, QueueOptions options)
    {
        QueueOptionsValidator.Validate(name, options);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queues.TryGetValue(name, out var existing))
            {
                return existing;
            }

            var directory = Path.Combine(_root, name);
            if (_io.DirectoryExists(directory))
            {
                if (!IsQueueLeftover(directory))
                {
                    throw new InvalidOperationException($"Cannot declare queue '{name}': {directory} exists and is not a queue directory (left untouched).");
                }

                _io.DeleteDirectory(directory); // leftover of an interrupted delete (no queue.meta): not this queue's data
            }

            _io.CreateDirectory(directory);
            _io.SyncDirectory(_root);
            AtomicFile.Write(_io, Path.Combine(directory, MetaFile), QueueOptionsSerializer.Serialize(options));
            var queue = OpenQueue(name, options, directory);
            _queues.Add(name, queue);
            return queue;
        }
    }

    public IDurableQueue? Get(string name)
    {
        lock (_lock)
        {
            return _queues.GetValueOrDefault(name);
        }
    }

    public async ValueTask<bool> DeleteAsync(string name)
    {
        LogQueue? queue;
        lock (_lock)
        {
            if (_disposed || !_queues.Remove(name, out queue))
            {
                return false;
            }

            // The declaration goes first and durably: after a crash the rest is a leftover, removed on open.
            _io.DeleteFile(Path.Combine(_root, name, MetaFile));
            _io.SyncDirectory(Path.Combine(_root, name));
        }

        await queue.CloseAsync(deleteData: true).ConfigureAwait(false);
        return true;
    }

    /// <summary>Sweeps expired messages and frees settled storage in every queue. Thread-safe.</summary>
    public void RunMaintenance()
    {
        // Timer ticks must not overlap, and an exception must never escape a timer callback (it would end the process).
        if (Interlocked.Exchange(ref _maintaining, 1) != 0)
        {
            return;
        }

        try
        {
            MaintainAll();
        }
        finally
        {
            Volatile.Write(ref _maintaining, 0);
        }
    }

    private void MaintainAll()
    {
        foreach (var queue in All)
        {
            try
            {
                ((LogQueue)queue).Maintain();
            }
            catch (IOException)
            {
                // Freeing space is retried on the next tick; a failing log reports itself through its appends.
            }
            catch (ObjectDisposedException)
            {
                // Deleted while we were iterating.
            }
            catch (InvalidOperationException)
            {
                // A log refusing maintenance (e.g. read-only after an fsync error, R11) is retried on the next tick.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        LogQueue[] queues;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            queues = [.. _queues.Values];
            _queues.Clear();
        }

        if (_maintenance is not null)
        {
            await _maintenance.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var queue in queues)
        {
            await queue.CloseAsync(deleteData: false).ConfigureAwait(false);
        }
    }

    private void OpenExisting()
    {
        _io.CreateDirectory(_root);
        var notes = new List<string>();
        var reports = new List<RecoveryReport>();
        foreach (var directory in _io.ListDirectories(_root))
        {
            var name = Path.GetFileName(directory);
            if (!QueueNames.IsValid(name))
            {
                notes.Add($"ignored '{name}': not a queue name");
                continue;
            }

            if (!_io.FileExists(Path.Combine(directory, MetaFile)) && !IsQueueLeftover(directory))
            {
                notes.Add($"ignored '{name}': not a queue directory (left untouched)");
                continue;
            }

            var meta = AtomicFile.Read(_io, Path.Combine(directory, MetaFile));
            if (meta is null)
            {
                _io.DeleteDirectory(directory);
                notes.Add($"removed '{name}': leftover of an interrupted declare or delete");
                continue;
            }

            QueueOptions options;
            try
            {
                options = QueueOptionsSerializer.Deserialize(meta);
            }
            catch (FormatException ex)
            {
                // F26: never delete or "repair" what we cannot read; fail with the file named.
                throw new InvalidDataException($"The declaration of queue '{name}' ({Path.Combine(directory, MetaFile)}) is unreadable: {ex.Message}", ex);
            }

            if (options.AutoDelete)
            {
                _io.DeleteFile(Path.Combine(directory, MetaFile));
                _io.DeleteDirectory(directory);
                notes.Add($"removed auto-delete queue '{name}'");
                continue;
            }

            var queue = OpenQueue(name, options, directory, reports);
            _queues.Add(name, queue);
            notes.Add($"opened '{name}': {queue.RecoveredMessages} messages, {queue.UnreadableRecords} unreadable records");
        }

        OpenNotes = notes;
        RecoveryReports = reports;
    }

    /// <summary>
    /// True for a directory holding nothing but what an interrupted declare or delete leaves: the two log
    /// directories, a queue.meta.tmp and a lock file. Anything else is not ours to delete (F26).
    /// </summary>
    private bool IsQueueLeftover(string directory)
    {
        foreach (var file in _io.ListFiles(directory))
        {
            if (Path.GetFileName(file) is not (MetaFile + ".tmp" or ".lock"))
            {
                return false;
            }
        }

        foreach (var sub in _io.ListDirectories(directory))
        {
            if (Path.GetFileName(sub) is not ("messages" or "acks"))
            {
                return false;
            }
        }

        return true;
    }

    private LogQueue OpenQueue(string name, QueueOptions options, string directory, List<RecoveryReport>? reports = null)
    {
        var journal = LogQueueJournal.Open(directory, _logOptions);
        reports?.AddRange(journal.RecoveryReports);
        try
        {
            return LogQueue.Open(name, options, journal, _time, ResolveDeadLetterQueue, OnAutoDelete, _maxResidentBytesPerQueue);
        }
        catch
        {
            journal.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Declares the dead-letter queue on demand (its own dead letters are dropped, so chains stop there).</summary>
    private IMessageTarget? ResolveDeadLetterQueue(string name)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return null;
            }

            return _queues.GetValueOrDefault(name) ?? DeclareQueue(name, DeadLetterQueueOptions);
        }
    }

    private void OnAutoDelete(LogQueue queue) => _ = DeleteAsync(queue.QueueName).AsTask();
}

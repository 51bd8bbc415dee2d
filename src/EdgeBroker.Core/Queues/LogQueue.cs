namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>
/// A durable queue on the local log engine: competing consumers with prefetch (fair dispatch), ack / nack /
/// redelivery, delivery limit, TTL, max length and dead-lettering. Split by concern: Enqueue, Dispatch, Ack,
/// DeadLetter, Paging, Recovery.
/// </summary>
/// <remarks>
/// Thread-safety: one lock per queue guards all in-memory state (ready set, consumers, their unacked maps,
/// counters). No I/O and no consumer callback ever runs under it: appends are awaited outside it, and
/// <see cref="IQueueDeliveryTarget.TryDeliver"/> is called by a single dispatching thread at a time after the
/// lock is released (so a consumer may ack, nack or dispose from inside TryDeliver; that only asks the
/// dispatcher for another round). Dead-lettering from the dispatch path runs on the thread pool, so a
/// publisher's thread never waits on I/O for it.
/// Memory: ready messages are held in memory up to a byte budget (the rest of a backlog stays on disk and is
/// paged in near the head, see LogQueue.Paging); unacked ones are held once, shared with their consumer.
/// Ids are message-log offsets, so "FIFO apart from redeliveries" is "ascending id".
/// </remarks>
public sealed partial class LogQueue : IDurableQueue
{
    private readonly Lock _lock = new();
    private readonly IQueueJournal _journal;
    private readonly TimeProvider _time;
    private readonly Func<string, IMessageTarget?>? _resolveDeadLetter;
    private readonly Action<LogQueue>? _onAutoDelete;
    private readonly SortedSet<QueueEntry> _ready = new(QueueEntryIdComparer.Instance);
    private readonly List<QueueConsumer> _consumers = [];
    private readonly HashSet<Task> _background = [];
    private long _unackedCount;
    private long _published;
    private long _delivered;
    private long _acked;
    private long _redelivered;
    private long _deadLettered;
    private long _dropped;
    private long _rejected;
    private bool _closed;

    private LogQueue(string name, QueueOptions options, IQueueJournal journal, TimeProvider time, Func<string, IMessageTarget?>? resolveDeadLetter, Action<LogQueue>? onAutoDelete)
    {
        QueueName = name;
        Options = options;
        Name = "queue:" + name;
        _journal = journal;
        _time = time;
        _resolveDeadLetter = resolveDeadLetter;
        _onAutoDelete = onAutoDelete;
        DeadLetterQueueName = QueueNames.DeadLetterQueueFor(name, options);
    }

    public string QueueName { get; }

    public QueueOptions Options { get; }

    public string Name { get; }

    public bool IsDurable => true;

    /// <summary>Where dead letters go; null = they are dropped (counted in <see cref="QueueStats.Dropped"/>).</summary>
    public string? DeadLetterQueueName { get; }

    public QueueStats Stats
    {
        get
        {
            var size = SizeBytesOrZero();
            lock (_lock)
            {
                return new QueueStats(QueueName, _ready.Count, _unackedCount, _consumers.Count, _published, _delivered, _acked, _redelivered, _deadLettered, _dropped, _rejected, size)
                {
                    IsReadOnly = _journal.IsReadOnly,
                };
            }
        }
    }

    public IReadOnlyList<Message> Peek(int max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var entries = new List<(QueueEntry Entry, Message? Message)>();
        lock (_lock)
        {
            foreach (var entry in _ready)
            {
                if (entries.Count >= max)
                {
                    break;
                }

                entries.Add((entry, entry.Message));
            }
        }

        // Paged-out messages are read from disk here, on the caller's thread; the queue's entries are not touched.
        var missing = entries.Where(e => e.Message is null).Select(e => e.Entry).ToList();
        var loaded = missing.Count == 0 ? null : Load(missing);
        var result = new List<Message>(entries.Count);
        foreach (var (entry, message) in entries)
        {
            if ((message ?? loaded?.GetValueOrDefault(entry.Id)) is { } m)
            {
                result.Add(m);
            }
        }

        return result;
    }

    public async ValueTask<long> PurgeAsync()
    {
        List<Settlement> purged;
        lock (_lock)
        {
            purged = new List<Settlement>(_ready.Count);
            foreach (var entry in _ready)
            {
                purged.Add(new Settlement(entry.Id, SettlementKind.Purged));
            }

            ClearReady();
        }

        await _journal.AppendSettlementsAsync(purged, CancellationToken.None).ConfigureAwait(false);
        return purged.Count;
    }

    /// <summary>Cancels every consumer, waits for background dead-lettering, closes (and with <paramref name="deleteData"/> deletes) the journal.</summary>
    internal async ValueTask CloseAsync(bool deleteData)
    {
        Task[] background;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            foreach (var consumer in _consumers)
            {
                consumer.Closed = true;
                consumer.Unacked.Clear();
            }

            _consumers.Clear();
            ClearReady();
            _unackedCount = 0;
            background = [.. _background];
        }

        await Task.WhenAll(background).ConfigureAwait(false);
        if (deleteData)
        {
            await _journal.DeleteAsync().ConfigureAwait(false);
        }
        else
        {
            await _journal.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the thread pool and tracks it so closing waits for it.</summary>
    private void RunInBackground(Func<Task> work)
    {
        var task = Task.Run(work);
        lock (_lock)
        {
            _background.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_lock)
                {
                    _background.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private long SizeBytesOrZero()
    {
        try
        {
            return _journal.SizeBytes;
        }
        catch (ObjectDisposedException)
        {
            return 0; // deleted or closed: a stats call must not fail
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

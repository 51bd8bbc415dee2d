namespace EdgeBroker.Core.Queues;

/// <summary>
/// A journal kept in memory: queue semantics tests without a disk, and a reopen simulation (a new queue over
/// the same journal sees exactly what a restart would). Thread-safe (one lock).
/// </summary>
internal sealed class MemoryQueueJournal : IQueueJournal
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, StoredMessage> _messages = [];
    private readonly HashSet<long> _settled = [];
    private long _nextId;
    private long _settlementRecords;

    public long NextMessageId
    {
        get
        {
            lock (_lock)
            {
                return _nextId;
            }
        }
    }

    public bool IsReadOnly => false;

    public long SizeBytes
    {
        get
        {
            lock (_lock)
            {
                return _messages.Values.Sum(m => (long)m.Value.Length) + (_settled.Count * 9L);
            }
        }
    }

    /// <summary>Settlement records written so far (tests check that acks reach the journal).</summary>
    public long SettlementRecords
    {
        get
        {
            lock (_lock)
            {
                return _settlementRecords;
            }
        }
    }

    public ValueTask<long> AppendMessageAsync(ReadOnlyMemory<byte> record, long enqueuedAtMs, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var id = _nextId++;
            _messages[id] = new StoredMessage(id, enqueuedAtMs, record.ToArray());
            return ValueTask.FromResult(id);
        }
    }

    public ValueTask AppendSettlementsAsync(IReadOnlyList<Settlement> settlements, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var s in settlements)
            {
                _settled.Add(s.MessageId);
                _settlementRecords++;
            }
        }

        return ValueTask.CompletedTask;
    }

    public JournalRecovery Recover(Action<StoredMessage> onLive)
    {
        List<StoredMessage> live;
        lock (_lock)
        {
            live = _messages.Values.Where(m => !_settled.Contains(m.Id)).ToList();
        }

        live.ForEach(onLive);
        return new JournalRecovery(live.Count, _settled.Count, 0);
    }

    public IReadOnlyList<StoredMessage> ReadMessages(long fromId, long toId)
    {
        lock (_lock)
        {
            return _messages.Values.Where(m => m.Id >= fromId && m.Id <= toId).ToList();
        }
    }

    public void Truncate(long firstLiveMessageId)
    {
        lock (_lock)
        {
            foreach (var id in _messages.Keys.Where(id => id < firstLiveMessageId).ToList())
            {
                _messages.Remove(id);
                _settled.Remove(id);
            }
        }
    }

    public ValueTask DeleteAsync()
    {
        lock (_lock)
        {
            _messages.Clear();
            _settled.Clear();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Messages;

/// <summary>
/// Keeps a long backlog on disk rather than in memory (F14). Ready messages are "resident" (decoded, in
/// memory) up to a byte budget; past it, newly ready messages keep only their id, size and expiry, and the
/// message is read back from the log when it nears the head. Paging in runs on the thread pool (never on a
/// publisher's or consumer's thread, never under the lock); the dispatcher just stops at a paged-out head
/// and asks for a page-in, which dispatches again when done. Unacked messages stay resident (bounded by
/// prefetch). Peek, fetch and dead-lettering read paged-out messages synchronously on the caller's thread.
/// </summary>
public sealed partial class LogQueue
{
    private long _maxResidentBytes = long.MaxValue;
    private long _residentBytes;
    private bool _pageInScheduled;

    /// <summary>Bytes of ready messages held in memory; the rest of the backlog is only on disk.</summary>
    public long ResidentBytes
    {
        get
        {
            lock (_lock)
            {
                return _residentBytes;
            }
        }
    }

    /// <summary>No background work (page-in, dead-lettering, auto-ack writes) and no dispatch running (tests wait for this).</summary>
    internal bool IsQuiescent
    {
        get
        {
            lock (_lock)
            {
                return _background.Count == 0 && !_pumping && !_pageInScheduled;
            }
        }
    }

    /// <summary>Queue lock.</summary>
    private void AddReady(QueueEntry entry)
    {
        if (_ready.Add(entry) && entry.Message is not null)
        {
            _residentBytes += entry.Size;
        }
    }

    /// <summary>Queue lock.</summary>
    private void RemoveReady(QueueEntry entry)
    {
        if (_ready.Remove(entry) && entry.Message is not null)
        {
            _residentBytes -= entry.Size;
        }
    }

    /// <summary>Queue lock.</summary>
    private void ClearReady()
    {
        _ready.Clear();
        _residentBytes = 0;
    }

    /// <summary>Queue lock. A newly ready message at the tail is paged out when the budget is spent.</summary>
    private void AddReadyAtTail(QueueEntry entry)
    {
        if (_ready.Count > 0 && _residentBytes + entry.Size > _maxResidentBytes)
        {
            entry.Message = null;
        }

        AddReady(entry);
    }

    /// <summary>Queue lock.</summary>
    private void SchedulePageIn()
    {
        if (_pageInScheduled || _closed)
        {
            return;
        }

        _pageInScheduled = true;
        RunInBackground(() =>
        {
            PageIn();
            return Task.CompletedTask;
        });
    }

    /// <summary>Loads paged-out messages from the head of the ready set, up to half the budget (at least one).</summary>
    private void PageIn()
    {
        var wanted = new List<QueueEntry>();
        lock (_lock)
        {
            long budget = Math.Max(1, (_maxResidentBytes - _residentBytes) / 2);
            foreach (var entry in _ready)
            {
                if (entry.Message is not null)
                {
                    continue;
                }

                if (wanted.Count > 0 && budget < entry.Size)
                {
                    break;
                }

                wanted.Add(entry);
                budget -= entry.Size;
            }
        }

        var loaded = wanted.Count == 0 ? [] : Load(wanted);
        lock (_lock)
        {
            foreach (var entry in wanted)
            {
                if (loaded.TryGetValue(entry.Id, out var message))
                {
                    if (_ready.Contains(entry) && entry.Message is null)
                    {
                        entry.Message = message;
                        _residentBytes += entry.Size;
                    }
                }
                else if (_ready.Remove(entry))
                {
                    // Unreadable on disk (quarantined, R8): kept there, never delivered half-read.
                    UnreadableRecords++;
                }
            }

            _pageInScheduled = false;
        }

        Dispatch();
    }

    /// <summary>Reads the messages of <paramref name="entries"/> (ascending ids) from the journal; missing = unreadable.</summary>
    private Dictionary<long, Message> Load(List<QueueEntry> entries)
    {
        var result = new Dictionary<long, Message>(entries.Count);
        if (entries.Count == 0)
        {
            return result;
        }

        var from = entries.Min(e => e.Id);
        var to = entries.Max(e => e.Id);
        var ids = entries.Select(e => e.Id).ToHashSet();
        foreach (var stored in _journal.ReadMessages(from, to))
        {
            if (!ids.Contains(stored.Id))
            {
                continue;
            }

            try
            {
                result[stored.Id] = MessageSerializer.Read(stored.Value);
            }
            catch (MessageFormatException)
            {
                // left out: the caller treats it as unreadable
            }
        }

        return result;
    }

    /// <summary>Outside the lock: fills in the messages of entries that were paged out when taken from the ready set.</summary>
    private void EnsureLoaded(IReadOnlyList<QueueEntry> entries)
    {
        List<QueueEntry>? missing = null;
        foreach (var entry in entries)
        {
            if (entry.Message is null)
            {
                (missing ??= []).Add(entry);
            }
        }

        if (missing is null)
        {
            return;
        }

        var loaded = Load(missing);
        foreach (var entry in missing)
        {
            entry.Message ??= loaded.GetValueOrDefault(entry.Id);
        }
    }
}

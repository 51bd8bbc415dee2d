namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>
/// Opening a queue from its journal, and the periodic maintenance (expiry sweep, freeing settled storage).
/// </summary>
public sealed partial class LogQueue
{
    /// <summary>Messages brought back by the last open (unsettled records of the journal).</summary>
    public long RecoveredMessages { get; private set; }

    /// <summary>Records the last open could not use: quarantined log ranges (R8) or undecodable messages.</summary>
    public long UnreadableRecords { get; private set; }

    /// <summary>
    /// Replays the journal: settlements first, then unsettled messages in id order into the ready set. A
    /// recovered message counts as delivered once (it may have been delivered before the restart and its ack
    /// lost, R5), so its next delivery is marked redelivered.
    /// </summary>
    internal static LogQueue Open(
        string name,
        QueueOptions options,
        IQueueJournal journal,
        TimeProvider time,
        Func<string, IMessageTarget?>? resolveDeadLetter,
        Action<LogQueue>? onAutoDelete,
        long maxResidentBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResidentBytes, 1);
        var queue = new LogQueue(name, options, journal, time, resolveDeadLetter, onAutoDelete) { _maxResidentBytes = maxResidentBytes };
        long undecodable = 0;
        var recovery = journal.Recover(stored =>
        {
            Message message;
            try
            {
                message = MessageSerializer.Read(stored.Value);
            }
            catch (MessageFormatException)
            {
                undecodable++; // kept on disk untouched; never delivered half-decoded
                return;
            }

            // Decoded once for its expiry; past the memory budget it is paged out again at once.
            var entry = new QueueEntry(stored.Id, message, stored.Value.Length, QueueEntry.ComputeExpiry(message, stored.EnqueuedAtMs, options.MessageTtl), deliveryCount: 1);
            queue._mayExpire |= entry.ExpiresAtMs != long.MaxValue;
            queue.AddReadyAtTail(entry);
        });

        var unreadable = recovery.UnreadableRecords + undecodable;
        queue.RecoveredMessages = queue._ready.Count;
        queue.UnreadableRecords = unreadable;
        return queue;
    }

    /// <summary>
    /// Dead-letters expired messages, frees whole message segments below the first live message and the
    /// settlement records that only concern them, and retries consumers that refused a delivery. Called by the
    /// store's maintenance timer.
    /// </summary>
    public void Maintain()
    {
        SweepExpired();
        long firstLive;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            firstLive = FirstLiveMessageId();
        }

        _journal.Truncate(firstLive);

        // A consumer that refused a delivery (its buffer was full) gets retried at least once per tick.
        Dispatch();
    }

    /// <summary>Queue lock. Nothing below this id is still needed: ready, unacked, being dead-lettered or being appended.</summary>
    private long FirstLiveMessageId()
    {
        var first = _journal.NextMessageId;
        if (_ready.Min is { } head)
        {
            first = Math.Min(first, head.Id);
        }

        foreach (var consumer in _consumers)
        {
            foreach (var entry in consumer.Unacked.Values)
            {
                first = Math.Min(first, entry.Id);
            }
        }

        foreach (var id in _deadLetterPending)
        {
            first = Math.Min(first, id);
        }

        if (_pendingFloors.Count > 0)
        {
            first = Math.Min(first, _pendingFloors.Keys.First());
        }

        return first;
    }
}

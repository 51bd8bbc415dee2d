namespace EdgeBroker.Core.Queues;

using System.Diagnostics.CodeAnalysis;

/// <summary>
/// Push dispatch and pull fetch. One thread at a time "pumps": it takes deliveries under the lock (round robin
/// over consumers with prefetch credit), releases the lock, then calls TryDeliver. Anyone else who wants a
/// dispatch while a pump runs returns at once: the pumper always runs another round after a round that did
/// work, so it sees the change. Per-consumer delivery order is kept and nothing recurses when a consumer acks
/// from inside TryDeliver.
/// </summary>
public sealed partial class LogQueue
{
    private const int MaxDeliveriesPerRound = 64;

    private readonly List<(QueueConsumer Consumer, long Tag, QueueEntry Entry)> _roundDeliveries = [];
    private readonly List<QueueEntry> _roundExpired = [];
    private int _nextConsumer;
    private bool _pumping;

    public IQueueConsumer AddConsumer(IQueueDeliveryTarget target, ConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Prefetch);
        var consumer = new QueueConsumer(this, target, options);
        lock (_lock)
        {
            if (_closed)
            {
                throw new InvalidOperationException($"Queue '{QueueName}' was deleted.");
            }

            _consumers.Add(consumer);
        }

        Dispatch();
        return consumer;
    }

    /// <summary>Takes up to <paramref name="max"/> ready messages and acknowledges them (pull, auto-ack).</summary>
    public async ValueTask<IReadOnlyList<QueueDelivery>> FetchAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var taken = new List<QueueEntry>();
        var expired = new List<QueueEntry>();
        var now = NowMs();
        lock (_lock)
        {
            while (taken.Count < max && _ready.Min is { } entry)
            {
                RemoveReady(entry);
                if (entry.ExpiresAtMs <= now)
                {
                    expired.Add(entry);
                    _deadLetterPending.Add(entry.Id);
                    continue;
                }

                taken.Add(entry);
            }
        }

        if (expired.Count > 0)
        {
            RunInBackground(() => DeadLetterAsync(expired, DeadLetterMessage.Expired));
        }

        // Fetch ids are the message ids (there is no consumer to scope a delivery tag to).
        EnsureLoaded(taken);
        var deliveries = new List<QueueDelivery>(taken.Count);
        var settlements = new List<Settlement>(taken.Count);
        lock (_lock)
        {
            foreach (var entry in taken)
            {
                if (entry.Message is null)
                {
                    UnreadableRecords++; // quarantined on disk (R8): not settled, never delivered half-read
                    continue;
                }

                entry.DeliveryCount++;
                CountDelivery(entry);
                _acked++;
                settlements.Add(new Settlement(entry.Id, SettlementKind.Acked));
                deliveries.Add(new QueueDelivery(QueueName, entry.Id, entry.Message, entry.DeliveryCount));
            }
        }

        await _journal.AppendSettlementsAsync(settlements, cancellationToken).ConfigureAwait(false);
        return deliveries;
    }

    /// <summary>
    /// Call when a consumer that refused a delivery (returned false from TryDeliver because it was full) has room
    /// again; otherwise it is retried on the next publish, ack or maintenance tick.
    /// </summary>
    public void ResumeDelivery() => Dispatch();

    /// <summary>Delivers what it can now; returns at once if another thread is already pumping (it will do another round).</summary>
    internal void Dispatch()
    {
        lock (_lock)
        {
            if (_pumping)
            {
                return; // the pumping thread runs another round after every round that did work, and sees our change
            }

            _pumping = true;
        }

        var finished = false;
        try
        {
            while (PumpOnce())
            {
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                lock (_lock)
                {
                    EndPump();
                }
            }
        }
    }

    /// <summary>Queue lock. Stalled consumers get another chance in the next pump.</summary>
    private void EndPump()
    {
        _pumping = false;
        foreach (var consumer in _consumers)
        {
            consumer.Stalled = false;
        }
    }

    /// <summary>One round; false when the pump may stop.</summary>
    private bool PumpOnce()
    {
        var deliveries = _roundDeliveries;
        var expired = _roundExpired;
        deliveries.Clear();
        expired.Clear();
        var now = NowMs();
        lock (_lock)
        {
            while (deliveries.Count < MaxDeliveriesPerRound && _ready.Min is { } entry)
            {
                if (entry.Message is null && entry.ExpiresAtMs > now)
                {
                    SchedulePageIn(); // it dispatches again once the head is back in memory
                    break;
                }

                if (NextConsumerWithCredit() is not { } consumer)
                {
                    break;
                }

                RemoveReady(entry);
                if (entry.ExpiresAtMs <= now)
                {
                    expired.Add(entry);
                    _deadLetterPending.Add(entry.Id);
                    continue;
                }

                entry.DeliveryCount++;
                CountDelivery(entry);
                var tag = ++consumer.LastTag;
                if (!consumer.Options.AutoAck)
                {
                    consumer.Unacked.Add(tag, entry);
                    _unackedCount++;
                }

                deliveries.Add((consumer, tag, entry));
            }

            if (deliveries.Count == 0 && expired.Count == 0)
            {
                // Stopping under the same lock hold that found nothing to do: a request arriving after this
                // sees _pumping == false and pumps itself, so no wake-up is lost.
                EndPump();
                return false;
            }
        }

        if (expired.Count > 0)
        {
            var batch = expired.ToArray();
            RunInBackground(() => DeadLetterAsync(batch, DeadLetterMessage.Expired));
        }

        List<Settlement>? autoAcked = null;
        foreach (var (consumer, tag, entry) in deliveries)
        {
            if (TryDeliver(consumer, tag, entry))
            {
                if (consumer.Options.AutoAck)
                {
                    (autoAcked ??= []).Add(new Settlement(entry.Id, SettlementKind.Acked));
                }

                continue;
            }

            lock (_lock)
            {
                // Not delivered: it goes back without counting as a delivery. If the consumer was disposed
                // meanwhile its unacked entries were already returned, so only put back what is still ours.
                consumer.Stalled = true;
                var ours = consumer.Options.AutoAck || consumer.Unacked.Remove(tag);
                if (ours && !_closed)
                {
                    if (!consumer.Options.AutoAck)
                    {
                        _unackedCount--;
                    }

                    _delivered--;
                    if (entry.DeliveryCount > 1)
                    {
                        _redelivered--;
                    }

                    entry.DeliveryCount--;
                    AddReady(entry);
                }
            }
        }

        if (autoAcked is not null)
        {
            lock (_lock)
            {
                _acked += autoAcked.Count;
            }

            // At-most-once (STOMP ack:auto): the settlement is written in the background; losing it means a redelivery.
            RunInBackground(() => _journal.AppendSettlementsAsync(autoAcked, CancellationToken.None).AsTask());
        }

        return true;
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A faulty consumer must not stop the queue: its delivery goes back.")]
    private bool TryDeliver(QueueConsumer consumer, long tag, QueueEntry entry)
    {
        try
        {
            return consumer.Target.TryDeliver(new QueueDelivery(QueueName, tag, entry.Message!, entry.DeliveryCount));
        }
        catch (Exception)
        {
            return false;
        }
    }

    private void CountDelivery(QueueEntry entry)
    {
        _delivered++;
        if (entry.DeliveryCount > 1)
        {
            _redelivered++;
        }
    }

    /// <summary>Round robin: the next consumer after the last one served that has prefetch credit. Queue lock.</summary>
    private QueueConsumer? NextConsumerWithCredit()
    {
        var n = _consumers.Count;
        for (var i = 0; i < n; i++)
        {
            var index = (_nextConsumer + i) % n;
            var consumer = _consumers[index];
            if (consumer.HasCredit)
            {
                _nextConsumer = (index + 1) % n;
                return consumer;
            }
        }

        return null;
    }
}

namespace EdgeBroker.Core.Queues;

/// <summary>
/// Settling deliveries: ack, cumulative ack, nack with or without requeue, and a consumer leaving. An unknown
/// delivery tag (already settled, or returned when its consumer left) is ignored: late acks after a takeover
/// are normal and must not fail the caller.
/// </summary>
public sealed partial class LogQueue
{
    internal async ValueTask AckAsync(QueueConsumer consumer, long deliveryTag)
    {
        QueueEntry? entry;
        lock (_lock)
        {
            if (!consumer.Unacked.Remove(deliveryTag, out entry))
            {
                return;
            }

            _unackedCount--;
            _acked++;
        }

        Dispatch(); // the consumer has credit again
        await _journal.AppendSettlementsAsync([new Settlement(entry.Id, SettlementKind.Acked)], CancellationToken.None).ConfigureAwait(false);
    }

    internal async ValueTask AckUpToAsync(QueueConsumer consumer, long deliveryTag)
    {
        List<Settlement> settlements = [];
        lock (_lock)
        {
            while (consumer.Unacked.Count > 0)
            {
                var (tag, entry) = consumer.Unacked.First();
                if (tag > deliveryTag)
                {
                    break;
                }

                consumer.Unacked.Remove(tag);
                settlements.Add(new Settlement(entry.Id, SettlementKind.Acked));
            }

            _unackedCount -= settlements.Count;
            _acked += settlements.Count;
        }

        if (settlements.Count == 0)
        {
            return;
        }

        Dispatch();
        await _journal.AppendSettlementsAsync(settlements, CancellationToken.None).ConfigureAwait(false);
    }

    internal async ValueTask NackAsync(QueueConsumer consumer, long deliveryTag, bool requeue)
    {
        QueueEntry? entry;
        string? deadLetterReason = null;
        lock (_lock)
        {
            if (!consumer.Unacked.Remove(deliveryTag, out entry))
            {
                return;
            }

            _unackedCount--;
            if (!requeue)
            {
                deadLetterReason = DeadLetterMessage.Rejected;
            }
            else if (!TryRequeue(entry))
            {
                deadLetterReason = DeadLetterMessage.DeliveryLimit;
            }

            if (deadLetterReason is not null)
            {
                _deadLetterPending.Add(entry.Id);
            }
        }

        Dispatch();
        if (deadLetterReason is not null)
        {
            await DeadLetterAsync([entry], deadLetterReason).ConfigureAwait(false);
        }
    }

    /// <summary>Consumer disposed: its unacked deliveries go back to the head of the queue, marked redelivered.</summary>
    internal void RemoveConsumer(QueueConsumer consumer)
    {
        List<QueueEntry>? overLimit = null;
        bool autoDelete;
        lock (_lock)
        {
            if (consumer.Closed)
            {
                return;
            }

            consumer.Closed = true;
            var index = _consumers.IndexOf(consumer);
            _consumers.RemoveAt(index);
            if (_nextConsumer > index)
            {
                _nextConsumer--;
            }

            foreach (var entry in consumer.Unacked.Values)
            {
                if (!TryRequeue(entry))
                {
                    (overLimit ??= []).Add(entry);
                    _deadLetterPending.Add(entry.Id);
                }
            }

            _unackedCount -= consumer.Unacked.Count;
            consumer.Unacked.Clear();
            autoDelete = Options.AutoDelete && _consumers.Count == 0 && !_closed;
        }

        if (overLimit is not null)
        {
            RunInBackground(() => DeadLetterAsync(overLimit, DeadLetterMessage.DeliveryLimit));
        }

        if (autoDelete)
        {
            _onAutoDelete?.Invoke(this);
        }
        else
        {
            Dispatch();
        }
    }

    /// <summary>Queue lock. False when the delivery limit is reached (the caller dead-letters it).</summary>
    private bool TryRequeue(QueueEntry entry)
    {
        if (Options.DeliveryLimit is { } limit && entry.DeliveryCount >= limit)
        {
            return false;
        }

        if (!_closed)
        {
            AddReady(entry);
        }

        return true;
    }
}

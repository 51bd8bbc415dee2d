namespace EdgeBroker.Core.Queues;

/// <summary>
/// A competing consumer of a <see cref="LogQueue"/>. Its state (unacked deliveries, tags, stall mark) is
/// guarded by the queue's lock; the methods forward to the queue and are thread-safe.
/// </summary>
internal sealed class QueueConsumer : IQueueConsumer
{
    private readonly LogQueue _queue;

    public QueueConsumer(LogQueue queue, IQueueDeliveryTarget target, ConsumerOptions options)
    {
        _queue = queue;
        Target = target;
        Options = options;
    }

    public string Queue => _queue.QueueName;

    public IQueueDeliveryTarget Target { get; }

    public ConsumerOptions Options { get; }

    /// <summary>Delivery tag → entry, in tag order (AckUpTo walks it). Queue lock.</summary>
    public SortedDictionary<long, QueueEntry> Unacked { get; } = [];

    /// <summary>The last tag handed out. Queue lock.</summary>
    public long LastTag { get; set; }

    /// <summary>Refused a delivery in the current dispatch round; skipped until the next round. Queue lock.</summary>
    public bool Stalled { get; set; }

    /// <summary>Disposed or its queue deleted. Queue lock.</summary>
    public bool Closed { get; set; }

    public bool HasCredit => !Closed && !Stalled && (Options.AutoAck || Options.Prefetch <= 0 || Unacked.Count < Options.Prefetch);

    public ValueTask AckAsync(long deliveryTag) => _queue.AckAsync(this, deliveryTag);

    public ValueTask AckUpToAsync(long deliveryTag) => _queue.AckUpToAsync(this, deliveryTag);

    public ValueTask NackAsync(long deliveryTag, bool requeue) => _queue.NackAsync(this, deliveryTag, requeue);

    public void Dispose() => _queue.RemoveConsumer(this);
}

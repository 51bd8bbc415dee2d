namespace EdgeBroker.Core.Queues;

/// <summary>How a queue behaves. Bound from configuration and the HTTP API; validated on declare.</summary>
public sealed record QueueOptions
{
    /// <summary>Most ready + unacked messages; null = unbounded.</summary>
    public long? MaxLength { get; init; }

    public QueueOverflow Overflow { get; init; } = QueueOverflow.RejectPublish;

    /// <summary>Per-queue message TTL; a message's own expiry wins when shorter. Expired messages are dead-lettered.</summary>
    public TimeSpan? MessageTtl { get; init; }

    /// <summary>After this many deliveries a nacked/returned message is dead-lettered; null = unlimited.</summary>
    public int? DeliveryLimit { get; init; } = 10;

    /// <summary>Dead-letter queue; null = <c>&lt;name&gt;.dlq</c>. Empty string = drop (counted).</summary>
    public string? DeadLetterQueue { get; init; }

    /// <summary>Deleted when its last consumer leaves (STOMP /temp-queue).</summary>
    public bool AutoDelete { get; init; }
}

/// <summary>What a full queue does (R12). Values reach configuration and disk; keep them stable.</summary>
public enum QueueOverflow
{
    /// <summary>Refuse the new publish (negative acknowledgement to the publisher).</summary>
    RejectPublish = 0,
    /// <summary>Dead-letter the oldest ready message to make room (counted).</summary>
    DropHead = 1,
}

/// <summary>A point-in-time view of a queue for the API, metrics and dashboard.</summary>
public sealed record QueueStats(string Name, long Ready, long Unacked, int Consumers, long Published, long Delivered, long Acked, long Redelivered, long DeadLettered, long Dropped, long Rejected, long SizeBytes)
{
    /// <summary>True once a write or fsync error stopped the queue's storage (R11): publishes fail until a restart.</summary>
    public bool IsReadOnly { get; init; }
}

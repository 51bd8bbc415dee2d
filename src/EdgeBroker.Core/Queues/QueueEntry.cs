namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Messages;

/// <summary>One message held by a queue. Mutable; guarded by its queue's lock.</summary>
internal sealed class QueueEntry
{
    public QueueEntry(long id, Message? message, int size, long expiresAtMs, int deliveryCount)
    {
        Id = id;
        Message = message;
        Size = size;
        ExpiresAtMs = expiresAtMs;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The offset of its record in the messages log.</summary>
    public long Id { get; }

    /// <summary>Null while paged out: the message is then only on disk (see LogQueue.Paging). Queue lock.</summary>
    public Message? Message { get; set; }

    public int Size { get; }

    /// <summary>Unix ms after which it is dead-lettered as expired; <see cref="long.MaxValue"/> = never.</summary>
    public long ExpiresAtMs { get; }

    /// <summary>Deliveries so far (a message recovered after a restart counts as delivered once).</summary>
    public int DeliveryCount { get; set; }

    /// <summary>The earlier of the message's own expiry and the queue TTL counted from enqueue.</summary>
    public static long ComputeExpiry(Message message, long enqueuedAtMs, TimeSpan? queueTtl)
    {
        var expires = long.MaxValue;
        if (message.ExpiryInterval is { } own)
        {
            expires = SaturatingAdd(message.TimestampMs, (long)own.TotalMilliseconds);
        }

        if (queueTtl is { } ttl)
        {
            expires = Math.Min(expires, SaturatingAdd(enqueuedAtMs, (long)ttl.TotalMilliseconds));
        }

        return expires;
    }

    private static long SaturatingAdd(long a, long b)
    {
        var sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? long.MaxValue : long.MinValue) : sum;
    }
}

namespace EdgeBroker.Core.Queues;

using EdgeBroker.Core.Messages;

/// <summary>
/// The receiving side of a queue consumer (a STOMP subscription to /queue/x, an MQTT $share member).
/// The queue calls <see cref="TryDeliver"/> only while the consumer has prefetch credit; it must not block.
/// Returning false means the consumer is gone or full: the message goes back to the queue.
/// </summary>
public interface IQueueDeliveryTarget
{
    bool TryDeliver(QueueDelivery delivery);
}

/// <summary>A message handed to a consumer. <see cref="DeliveryTag"/> identifies it for ack/nack on that consumer.</summary>
public sealed record QueueDelivery(string Queue, long DeliveryTag, Message Message, int DeliveryCount)
{
    public bool Redelivered => DeliveryCount > 1;
}

public sealed record ConsumerOptions
{
    /// <summary>Most unacknowledged deliveries at once (fair dispatch); 0 = unlimited.</summary>
    public int Prefetch { get; init; } = 100;

    /// <summary>Acknowledged on delivery (at-most-once; STOMP ack:auto).</summary>
    public bool AutoAck { get; init; }
}

/// <summary>A registered consumer; dispose to cancel. Unacknowledged deliveries go back to the queue, marked redelivered.</summary>
public interface IQueueConsumer : IDisposable
{
    string Queue { get; }

    /// <summary>Removes the message. Completes once the ack record is written (it may be synced lazily, R5).</summary>
    ValueTask AckAsync(long deliveryTag);

    /// <summary>Acknowledges every outstanding delivery of this consumer up to and including <paramref name="deliveryTag"/> (STOMP ack:client).</summary>
    ValueTask AckUpToAsync(long deliveryTag);

    /// <summary>Requeues (redelivered, delivery count + 1) or, without requeue, dead-letters the message.</summary>
    ValueTask NackAsync(long deliveryTag, bool requeue);
}

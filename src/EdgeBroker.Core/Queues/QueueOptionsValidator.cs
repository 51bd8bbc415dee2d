namespace EdgeBroker.Core.Queues;

/// <summary>Checks <see cref="QueueOptions"/> on declare. Stateless, thread-safe.</summary>
public static class QueueOptionsValidator
{
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public static void Validate(string queue, QueueOptions options)
    {
        QueueNames.Validate(queue, nameof(queue));
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxLength is < 0)
        {
            throw new ArgumentException($"Queue '{queue}': MaxLength must not be negative (was {options.MaxLength}).", nameof(options));
        }

        if (!Enum.IsDefined(options.Overflow))
        {
            throw new ArgumentException($"Queue '{queue}': unknown Overflow value {(int)options.Overflow}.", nameof(options));
        }

        if (options.MessageTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Queue '{queue}': MessageTtl must be positive (was {ttl}).", nameof(options));
        }

        if (options.DeliveryLimit is < 1)
        {
            throw new ArgumentException($"Queue '{queue}': DeliveryLimit must be at least 1 (was {options.DeliveryLimit}).", nameof(options));
        }

        if (options.DeadLetterQueue is { Length: > 0 } dlq)
        {
            if (string.Equals(dlq, queue, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Queue '{queue}' cannot be its own dead-letter queue.", nameof(options));
            }

            if (QueueNames.Check(dlq) is { } reason)
            {
                throw new ArgumentException($"Queue '{queue}': invalid DeadLetterQueue '{dlq}': {reason}.", nameof(options));
            }
        }
    }
}

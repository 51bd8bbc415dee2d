namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Core.Queues;

/// <summary>One entry of <c>EdgeBroker:Queues</c>: a queue declared at start with its options.</summary>
public sealed class QueueSettings
{
    public string Name { get; set; } = "";

    public long? MaxLength { get; set; }

    public QueueOverflow Overflow { get; set; } = QueueOverflow.RejectPublish;

    public long? MessageTtlMs { get; set; }

    public int? DeliveryLimit { get; set; } = 10;

    public string? DeadLetterQueue { get; set; }

    public bool AutoDelete { get; set; }

    public QueueOptions ToQueueOptions() => new()
    {
        MaxLength = MaxLength,
        Overflow = Overflow,
        MessageTtl = MessageTtlMs is { } ttl ? TimeSpan.FromMilliseconds(ttl) : null,
        DeliveryLimit = DeliveryLimit,
        DeadLetterQueue = DeadLetterQueue,
        AutoDelete = AutoDelete,
    };
}

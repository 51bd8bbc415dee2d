namespace EdgeBroker.Core.Queues;

/// <summary>
/// The queues of the broker. The embedded implementation keeps each queue on the local log engine;
/// a RabbitMQ-backed one can replace it later without touching any adapter (DESIGN.md "Scale-out").
/// Thread-safe.
/// </summary>
public interface IQueueStore : IAsyncDisposable
{
    /// <summary>Idempotent: returns the existing queue when present (its options are kept).</summary>
    IDurableQueue Declare(string name, QueueOptions options);

    IDurableQueue? Get(string name);

    /// <summary>Deletes the queue and its data; its consumers are cancelled.</summary>
    ValueTask<bool> DeleteAsync(string name);

    IReadOnlyCollection<IDurableQueue> All { get; }
}

/// <summary>One durable queue: a bind target, competing consumers, pull fetch. Thread-safe.</summary>
public interface IDurableQueue : Routing.IMessageTarget
{
    string QueueName { get; }

    QueueOptions Options { get; }

    IQueueConsumer AddConsumer(IQueueDeliveryTarget target, ConsumerOptions options);

    /// <summary>Takes up to <paramref name="max"/> ready messages and acknowledges them.</summary>
    ValueTask<IReadOnlyList<QueueDelivery>> FetchAsync(int max, CancellationToken cancellationToken);

    ValueTask<long> PurgeAsync();

    IReadOnlyList<Messages.Message> Peek(int max);

    QueueStats Stats { get; }
}

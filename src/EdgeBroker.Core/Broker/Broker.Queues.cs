namespace EdgeBroker.Core.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;

/// <summary>Direct queue access: publish to one queue, competing consumers, pull fetch. Declares missing queues with defaults.</summary>
public sealed partial class Broker
{
    public ValueTask<PublishResult> PublishToQueueAsync(string queue, Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(message);
        if (queue.Length == 0)
        {
            return new(Refuse(PublishOutcome.InvalidTopic, "a queue name must not be empty"));
        }

        // The hook sees the queue name; issue 8 may give queues their own ACL namespace.
        if (publisher is not null && !Authorizer.CanPublishToQueue(publisher, queue))
        {
            return new(Refuse(PublishOutcome.NotAuthorized, $"not authorized to publish to queue '{queue}'"));
        }

        IDurableQueue target;
        try
        {
            target = EnsureQueue(queue);
        }
        catch (ArgumentException ex)
        {
            return new(Refuse(PublishOutcome.InvalidTopic, ex.Message));
        }

        Counters.CountIn(message.Payload.Length);
        if (message.IsExpiredAt(NowMs()))
        {
            return new(new PublishResult(PublishOutcome.Accepted, 0, 0, "message expired before routing"));
        }

        var targets = RentTargets();
        targets.Add(target);
        if (RefuseWhileDiskAlarm(targets, retain: false) is { } alarmed)
        {
            return new(alarmed);
        }

        return DispatchAsync(message, targets, 0, retained: null, cancellationToken);
    }

    public IQueueConsumer Consume(string queue, IQueueDeliveryTarget target, ConsumerOptions options, ClientIdentity? consumer)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfCannotConsume(queue, consumer);
        return EnsureQueue(queue).AddConsumer(target, options);
    }

    public ValueTask<IReadOnlyList<QueueDelivery>> FetchAsync(string queue, int max, ClientIdentity? consumer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        ThrowIfCannotConsume(queue, consumer);

        // A pull from a queue that does not exist returns nothing rather than creating it.
        return _queues.Get(queue) is { } existing ? existing.FetchAsync(max, cancellationToken) : new([]);
    }

    /// <summary>The queue, declared with default options (and recorded in the topology store) when missing.</summary>
    internal IDurableQueue EnsureQueue(string name) => _topology.EnsureQueue(name);

    private void ThrowIfCannotConsume(string queue, ClientIdentity? consumer)
    {
        if (consumer is not null && !Authorizer.CanConsume(consumer, queue))
        {
            throw new UnauthorizedAccessException($"not authorized to consume from '{queue}'");
        }
    }
}

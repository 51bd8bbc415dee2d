namespace EdgeBroker.Core.Broker;

using EdgeBroker.Core.Messages;

using System.Runtime.CompilerServices;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Topics;

/// <summary>Live subscriptions on the default exchange, and retained messages sent on subscribe.</summary>
public sealed partial class Broker
{
    public ISubscription Subscribe(ISubscriber subscriber, string filter, SubscriptionOptions options, bool sendRetained = true)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(options);
        if (TopicFilter.IsShared(filter))
        {
            throw new ArgumentException(
                "shared subscriptions ($share/<group>/<filter>) go through queues: declare the queue named by "
                + "Broker.SharedSubscriptionQueueName(group, filter), bind it to the filter on the default exchange and consume it",
                nameof(filter));
        }

        var error = TopicFilter.Validate(filter, _options.TopicLimits, allowShared: false);
        if (error != TopicError.None)
        {
            throw new ArgumentException(Topic.Describe(error, _options.TopicLimits), nameof(filter));
        }

        // Internal subscribers (the broker's own components) are trusted like internal publishers (a null publisher).
        if (subscriber.Client.Protocol != ProtocolKind.Internal && !Authorizer.CanSubscribe(subscriber.Client, filter))
        {
            throw new UnauthorizedAccessException($"not authorized to subscribe to '{filter}'");
        }

        var ordinal = _subscriberOrdinals.GetValue(subscriber, _ => new StrongBox<long>(Interlocked.Increment(ref _nextSubscriberOrdinal))).Value;
        var subscription = new LiveSubscription(this, subscriber, filter, options, ordinal, Interlocked.Increment(ref _nextSubscriptionSequence));
        _subscriptions.Add(filter, subscription);
        if (sendRetained)
        {
            DeliverRetained(subscription);
        }

        return subscription;
    }

    /// <summary>
    /// [MQTT-3.3.1-9] retained messages matching a new subscription are sent to it, flagged as retained.
    /// The store already skips expired messages; the clock is checked again so a message expiring meanwhile is not sent.
    /// </summary>
    private void DeliverRetained(LiveSubscription subscription)
    {
        var filter = subscription.Filter;
        var retained = _retained.Match(topic => TopicFilter.Matches(filter, topic));
        if (retained.Count == 0)
        {
            return;
        }

        var now = NowMs();
        ISubscription single = subscription;
        foreach (var message in retained)
        {
            if (message.IsExpiredAt(now) || message.Payload.IsEmpty)
            {
                continue;
            }

            if (subscription.Subscriber.TryDeliver(message, new ReadOnlySpan<ISubscription>(ref single), isRetained: true))
            {
                Counters.CountOut(message.Payload.Length);
                Counters.CountRetainedDelivered();
            }
            else
            {
                Counters.CountDropped();
            }
        }
    }
}

namespace EdgeBroker.Core.Broker;

using System.Buffers;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Topics;

/// <summary>
/// Publishing: validate → authorize → live subscriptions (never waited for) → bound durable targets and the
/// retained store, all started at once and then awaited together (R3: acknowledged only when every durable
/// target accepted).
/// </summary>
public sealed partial class Broker
{
    public ValueTask<PublishResult> PublishAsync(Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Validation comes before the hook so an ACL matcher never sees a wildcard posing as a topic name.
        if (RefuseTopic(message.Topic, publisher) is { } refused)
        {
            return new(refused);
        }

        Counters.CountIn(message.Payload.Length);
        if (message.IsExpiredAt(NowMs()))
        {
            return new(new PublishResult(PublishOutcome.Accepted, 0, 0, "message expired before routing"));
        }

        var targets = RentTargets();
        _registry.Default.Route(message, targets);
        if (RefuseWhileDiskAlarm(targets, message.Retain) is { } alarmed)
        {
            return new(alarmed);
        }

        // The retained write starts before live matching: the store shows it to Match at once, so a subscription
        // added meanwhile gets it either live or as retained, never neither.
#pragma warning disable CA2012 // Started here, consumed exactly once by DispatchAsync.
        ValueTask<TargetResult>? retained = message.Retain ? StartRetained(message, cancellationToken) : null;
#pragma warning restore CA2012
        var live = DeliverLive(message);
        return DispatchAsync(message, targets, live, retained, cancellationToken);
    }

    public ValueTask<PublishResult> PublishToExchangeAsync(string exchange, Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        ArgumentNullException.ThrowIfNull(message);
        if (string.Equals(exchange, IBroker.DefaultExchange, StringComparison.Ordinal))
        {
            return PublishAsync(message, publisher, cancellationToken);
        }

        if (!_registry.TryGetExchange(exchange, out var target))
        {
            return new(Refuse(PublishOutcome.InvalidTopic, $"exchange '{exchange}' does not exist"));
        }

        // Topic and direct exchanges route on the topic, so it must be a valid name; fanout and headers ignore it.
        if (target.Type is ExchangeType.Topic or ExchangeType.Direct)
        {
            if (RefuseTopic(message.Topic, publisher) is { } refused)
            {
                return new(refused);
            }
        }
        else if (publisher is not null && !Authorizer.CanPublish(publisher, message.Topic))
        {
            return new(Refuse(PublishOutcome.NotAuthorized, "not authorized to publish"));
        }

        Counters.CountIn(message.Payload.Length);
        if (message.IsExpiredAt(NowMs()))
        {
            return new(new PublishResult(PublishOutcome.Accepted, 0, 0, "message expired before routing"));
        }

        var targets = RentTargets();
        target.Route(message, targets);
        if (RefuseWhileDiskAlarm(targets, retain: false) is { } alarmed)
        {
            return new(alarmed);
        }

        return DispatchAsync(message, targets, 0, retained: null, cancellationToken);
    }

    private PublishResult? RefuseTopic(string topic, ClientIdentity? publisher)
    {
        var error = Topic.Validate(topic, _options.TopicLimits);
        if (error != TopicError.None)
        {
            return Refuse(PublishOutcome.InvalidTopic, Topic.Describe(error, _options.TopicLimits));
        }

        if (publisher is null)
        {
            return null;
        }

        if (!_options.AllowClientPublishToReservedTopics && Topic.IsReserved(topic))
        {
            return Refuse(PublishOutcome.NotAuthorized, "topics starting with '$' are reserved to the broker");
        }

        return Authorizer.CanPublish(publisher, topic) ? null : Refuse(PublishOutcome.NotAuthorized, "not authorized to publish to this topic");
    }

    /// <summary>Refuses (and releases the targets) when the disk alarm is on and the message would be stored anywhere.</summary>
    private PublishResult? RefuseWhileDiskAlarm(RouteTargets targets, bool retain)
    {
        if (Alarms.DiskReason is not { } reason)
        {
            return null;
        }

        var durable = retain;
        foreach (var target in targets.AsSpan())
        {
            durable |= target.IsDurable;
        }

        if (!durable)
        {
            return null;
        }

        ReturnTargets(targets);
        return Refuse(PublishOutcome.Failed, reason);
    }

    private PublishResult Refuse(PublishOutcome outcome, string reason)
    {
        Counters.CountRefused();
        return new PublishResult(outcome, 0, 0, reason);
    }

    /// <summary>
    /// One TryDeliver per subscriber with all its matching subscriptions. Results come sorted by subscriber
    /// (<see cref="LiveSubscriptionOrder"/>), so a linear scan finds each subscriber's run; a run is copied
    /// only when some subscription in it must be left out (no-local, just unsubscribed).
    /// </summary>
    private int DeliverLive(Message message)
    {
        var matches = _subscriptions.Match(message.Topic);
        if (matches.IsEmpty)
        {
            return 0;
        }

        var all = ReadOnlySpan<ISubscription>.CastUp(matches);
        var payloadBytes = message.Payload.Length;
        var subscribers = 0;
        var i = 0;
        while (i < matches.Length)
        {
            var start = i;
            var ordinal = matches[i].SubscriberOrdinal;
            var excluded = 0;
            for (; i < matches.Length && matches[i].SubscriberOrdinal == ordinal; i++)
            {
                if (!matches[i].Accepts(message))
                {
                    excluded++;
                }
            }

            var runLength = i - start;
            if (excluded == runLength)
            {
                continue;
            }

            var subscriber = matches[start].Subscriber;
            bool delivered;
            if (excluded == 0)
            {
                delivered = subscriber.TryDeliver(message, all.Slice(start, runLength), isRetained: false);
            }
            else
            {
                var kept = ArrayPool<ISubscription>.Shared.Rent(runLength - excluded);
                var count = 0;
                for (var j = start; j < i; j++)
                {
                    if (matches[j].Accepts(message))
                    {
                        kept[count++] = matches[j];
                    }
                }

                delivered = subscriber.TryDeliver(message, kept.AsSpan(0, count), isRetained: false);
                ArrayPool<ISubscription>.Shared.Return(kept, clearArray: true);
            }

            subscribers++;
            if (delivered)
            {
                Counters.CountOut(payloadBytes);
            }
            else
            {
                Counters.CountDropped();
            }
        }

        return subscribers;
    }
}

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
    [ThreadStatic]
    private static RouteTargets? t_routeTargets;

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

        var live = DeliverLive(message);
        var targets = RentTargets();
        _registry.Default.Route(message, targets);
        return DispatchAsync(message, targets, live, message.Retain, cancellationToken);
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
        return DispatchAsync(message, targets, 0, retain: false, cancellationToken);
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

    private static RouteTargets RentTargets()
    {
        var targets = t_routeTargets ?? new RouteTargets();
        t_routeTargets = null;
        return targets;
    }

    private static void ReturnTargets(RouteTargets targets)
    {
        targets.Clear();
        t_routeTargets = targets;
    }

    /// <summary>
    /// Starts every target at once (durable ones and the retained store are collected to await; non-durable
    /// ones are observed in the background), returns the route buffer before the first await, and completes
    /// synchronously without allocating when every durable target did.
    /// </summary>
    private ValueTask<PublishResult> DispatchAsync(Message message, RouteTargets targets, int live, bool retain, CancellationToken cancellationToken)
    {
        var capacity = targets.Count + (retain ? 1 : 0);
        if (capacity == 0)
        {
            ReturnTargets(targets);
            return new(Complete(new PublishResult(live == 0 ? PublishOutcome.NoMatchingSubscribers : PublishOutcome.Accepted, 0, live)));
        }

        var pending = ArrayPool<ValueTask<TargetResult>>.Shared.Rent(capacity);
        var durable = 0;
        foreach (var target in targets.AsSpan())
        {
            var started = Start(target, message, cancellationToken);
            if (target.IsDurable)
            {
                pending[durable++] = started;
            }
            else
            {
                live++;
                _ = ObserveAsync(started);
            }
        }

        ReturnTargets(targets);
        if (retain)
        {
            // [MQTT-3.3.1-5] stored as the topic's retained message; [MQTT-3.3.1-6] an empty payload clears it.
            var stored = StartRetained(message, cancellationToken);
            pending[durable++] = stored;
        }

        var allDone = true;
        for (var i = 0; i < durable && allDone; i++)
        {
            allDone = pending[i].IsCompleted;
        }

        if (!allDone)
        {
            return new(AwaitAllAsync(pending, durable, live));
        }

        var result = Combine(pending, durable, live);
        ArrayPool<ValueTask<TargetResult>>.Shared.Return(pending, clearArray: true);
        return new(Complete(result));
    }

    private async Task<PublishResult> AwaitAllAsync(ValueTask<TargetResult>[] pending, int durable, int live)
    {
        // Every target was already started, so awaiting them one after the other waits for the slowest, not the sum.
        var worst = TargetResult.Accepted;
        for (var i = 0; i < durable; i++)
        {
            var result = await Settle(pending[i]).ConfigureAwait(false);
            worst = Worse(worst, result);
        }

        ArrayPool<ValueTask<TargetResult>>.Shared.Return(pending, clearArray: true);
        return Complete(ToPublishResult(worst, durable, live));
    }

    private static PublishResult Combine(ValueTask<TargetResult>[] completed, int durable, int live)
    {
        var worst = TargetResult.Accepted;
        for (var i = 0; i < durable; i++)
        {
            worst = Worse(worst, SettleCompleted(completed[i]));
        }

        return ToPublishResult(worst, durable, live);
    }

    /// <summary>Failed beats Rejected beats Accepted; the first reason of the worst kind is kept.</summary>
    private static TargetResult Worse(TargetResult current, TargetResult next) => next.Outcome > current.Outcome ? next : current;

    private static PublishResult ToPublishResult(TargetResult worst, int durable, int live) => worst.Outcome switch
    {
        TargetOutcome.Failed => new PublishResult(PublishOutcome.Failed, durable, live, worst.Reason),
        TargetOutcome.Rejected => new PublishResult(PublishOutcome.Rejected, durable, live, worst.Reason),
        _ => new PublishResult(durable + live == 0 ? PublishOutcome.NoMatchingSubscribers : PublishOutcome.Accepted, durable, live),
    };

    private PublishResult Complete(PublishResult result)
    {
        if (!result.IsAcknowledged)
        {
            Counters.CountRefused();
        }

        return result;
    }

    private static ValueTask<TargetResult> Start(IMessageTarget target, Message message, CancellationToken cancellationToken)
    {
        try
        {
            return target.AcceptAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new(TargetResult.Failed($"{target.Name}: {ex.Message}"));
        }
    }

    private ValueTask<TargetResult> StartRetained(Message message, CancellationToken cancellationToken)
    {
        try
        {
            return _retained.SetAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new(TargetResult.Failed($"retained store: {ex.Message}"));
        }
    }

    /// <summary>Turns a throwing or cancelled target into a Failed result: an exception is never an acknowledgement.</summary>
    private static async ValueTask<TargetResult> Settle(ValueTask<TargetResult> started)
    {
        try
        {
            return await started.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return TargetResult.Failed("cancelled before the target accepted the message");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return TargetResult.Failed(ex.Message);
        }
    }

    private static TargetResult SettleCompleted(ValueTask<TargetResult> completed)
    {
        try
        {
            return completed.IsCompleted ? completed.Result : TargetResult.Failed("internal error: target not completed");
        }
        catch (OperationCanceledException)
        {
            return TargetResult.Failed("cancelled before the target accepted the message");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return TargetResult.Failed(ex.Message);
        }
    }

    private static async Task ObserveAsync(ValueTask<TargetResult> started) => await Settle(started).ConfigureAwait(false);
}

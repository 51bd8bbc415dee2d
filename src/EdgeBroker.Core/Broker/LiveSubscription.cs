namespace EdgeBroker.Core.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>
/// One live subscription in the broker's topic tree. Immutable apart from its disposed flag; thread-safe.
/// <see cref="SubscriberOrdinal"/> is shared by every subscription of one <see cref="ISubscriber"/> so match
/// results can be sorted into one run per subscriber (one TryDeliver call each).
/// </summary>
internal sealed class LiveSubscription : ISubscription
{
    private readonly Broker _broker;
    private int _disposed;

    public LiveSubscription(Broker broker, ISubscriber subscriber, string filter, SubscriptionOptions options, long subscriberOrdinal, long sequence)
    {
        _broker = broker;
        Subscriber = subscriber;
        Filter = filter;
        Options = options;
        SubscriberOrdinal = subscriberOrdinal;
        Sequence = sequence;
    }

    public ISubscriber Subscriber { get; }

    public string Filter { get; }

    public SubscriptionOptions Options { get; }

    public long SubscriberOrdinal { get; }

    /// <summary>Creation order, a stable tiebreak inside one subscriber's run.</summary>
    public long Sequence { get; }

    public bool IsActive => Volatile.Read(ref _disposed) == 0;

    /// <summary>False when this subscription must not get the message: unsubscribed, or MQTT 5 no-local and its own publish.</summary>
    public bool Accepts(Message message)
    {
        if (!IsActive)
        {
            return false;
        }

        // [MQTT-3.8.3-3] no-local: not forwarded to a connection whose client id equals the publisher's.
        return !Options.NoLocal
            || message.Origin.ClientId is not { } origin
            || message.Origin.Protocol != Subscriber.Client.Protocol
            || !string.Equals(origin, Subscriber.Client.ClientId, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _broker.Unsubscribe(this);
        }
    }

    public override string ToString() => $"{Subscriber.Client.ClientId} '{Filter}'";
}

namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Security;

/// <summary>
/// A session that receives live messages (an MQTT session, a STOMP connection, a SignalR client).
/// <see cref="TryDeliver"/> is called on the publisher's thread and must not block: it enqueues into
/// the session's bounded outbound queue and returns false when it dropped the message (overflow policy).
/// </summary>
public interface ISubscriber
{
    ClientIdentity Client { get; }

    /// <summary>
    /// One call per message per subscriber, with every subscription of this subscriber the topic matched
    /// (MQTT sends one copy at the highest QoS carrying all subscription identifiers; STOMP one MESSAGE per
    /// subscription id). <paramref name="isRetained"/> is true for retained messages sent on subscribe.
    /// </summary>
    bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained);
}

/// <summary>Per-subscription options (MQTT 5 subscription options and the STOMP subscription id).</summary>
public sealed record SubscriptionOptions
{
    public QualityOfService MaxQos { get; init; } = QualityOfService.AtMostOnce;

    /// <summary>MQTT 5 no-local: do not deliver the subscriber's own publishes.</summary>
    public bool NoLocal { get; init; }

    public bool RetainAsPublished { get; init; }

    /// <summary>MQTT 5 subscription identifier (0 = none).</summary>
    public int SubscriptionIdentifier { get; init; }

    /// <summary>Adapter data carried back on delivery (e.g. the STOMP subscription id).</summary>
    public object? Tag { get; init; }
}

/// <summary>A live subscription; dispose to unsubscribe.</summary>
public interface ISubscription : IDisposable
{
    ISubscriber Subscriber { get; }

    string Filter { get; }

    SubscriptionOptions Options { get; }
}

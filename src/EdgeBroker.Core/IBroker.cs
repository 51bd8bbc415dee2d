namespace EdgeBroker.Core;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Streams;

/// <summary>
/// The facade every protocol adapter talks to, and nothing else (DESIGN.md "Scale-out": keep this seam clean).
/// Thread-safe.
/// </summary>
public interface IBroker
{
    /// <summary>The name of the default topic exchange that every MQTT, STOMP /topic/ and SignalR publish enters.</summary>
    public const string DefaultExchange = "amq.topic";

    IBrokerAuthorizer Authorizer { get; }

    /// <summary>
    /// Routes through the default exchange (live subscriptions, bound queues and streams, retained store when
    /// <see cref="Message.Retain"/>). Completes once every durable target accepted it (R3). Authorization is
    /// checked against <paramref name="publisher"/> (null = internal, always allowed).
    /// </summary>
    ValueTask<PublishResult> PublishAsync(Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default);

    /// <summary>Routes through a named exchange (STOMP /exchange/…, HTTP API). Unknown exchange → <see cref="PublishOutcome.InvalidTopic"/>.</summary>
    ValueTask<PublishResult> PublishToExchangeAsync(string exchange, Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default);

    /// <summary>Sends straight to one queue (STOMP /queue/x, HTTP). Declares it with defaults if missing.</summary>
    ValueTask<PublishResult> PublishToQueueAsync(string queue, Message message, ClientIdentity? publisher, CancellationToken cancellationToken = default);

    /// <summary>
    /// A live subscription on the default exchange. Retained messages of matching topics are delivered to
    /// <paramref name="subscriber"/> (isRetained: true) before this returns when <paramref name="sendRetained"/>.
    /// Throws <see cref="UnauthorizedAccessException"/> when the hook denies, <see cref="ArgumentException"/> for an invalid filter.
    /// </summary>
    ISubscription Subscribe(ISubscriber subscriber, string filter, SubscriptionOptions options, bool sendRetained = true);

    /// <summary>Registers a competing consumer on a queue (declared with defaults if missing).</summary>
    IQueueConsumer Consume(string queue, IQueueDeliveryTarget target, ConsumerOptions options, ClientIdentity? consumer);

    /// <summary>Pulls up to <paramref name="max"/> ready messages and acknowledges them (basic.get with auto-ack).</summary>
    ValueTask<IReadOnlyList<QueueDelivery>> FetchAsync(string queue, int max, ClientIdentity? consumer, CancellationToken cancellationToken = default);

    IBrokerTopology Topology { get; }

    /// <summary>Counters for /metrics and the dashboard.</summary>
    BrokerCounters Counters { get; }

    /// <summary>Streams for the protocol adapters (STOMP /stream/, MQTT $stream/); null when this broker has none.</summary>
    IStreamProvider? Streams => null;
}

/// <summary>Exchanges, bindings and queues: declared by configuration, the HTTP API or implicitly by adapters.</summary>
public interface IBrokerTopology
{
    IReadOnlyList<ExchangeInfo> Exchanges { get; }

    /// <summary>Idempotent when the type matches; throws <see cref="InvalidOperationException"/> if it exists with another type.</summary>
    void DeclareExchange(string name, ExchangeType type);

    /// <summary>Throws <see cref="InvalidOperationException"/> for the default exchange.</summary>
    bool DeleteExchange(string name);

    IReadOnlyList<BindingSpec> Bindings { get; }

    /// <summary>Idempotent. Durable: bindings survive restarts.</summary>
    void Bind(BindingSpec binding);

    bool Unbind(BindingSpec binding);

    /// <summary>Idempotent when the options match; a queue survives restarts with its messages.</summary>
    void DeclareQueue(string name, QueueOptions options);

    bool DeleteQueue(string name);

    /// <summary>Removes every ready message; returns how many.</summary>
    ValueTask<long> PurgeQueueAsync(string name);

    IReadOnlyList<QueueStats> Queues { get; }

    QueueStats? GetQueue(string name);

    /// <summary>Ready messages from the head without consuming them.</summary>
    IReadOnlyList<Message> PeekQueue(string name, int max);
}

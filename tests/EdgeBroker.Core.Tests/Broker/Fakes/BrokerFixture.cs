namespace EdgeBroker.Core.Tests.Broker.Fakes;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

/// <summary>A broker over fakes, plus helpers to build messages.</summary>
internal sealed class BrokerFixture
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public BrokerFixture(BrokerOptions? options = null, ITopologyStore? topologyStore = null)
    {
        TopologyStore = topologyStore ?? new InMemoryTopologyStore();
        Broker = new global::EdgeBroker.Core.Broker.Broker(options ?? new BrokerOptions(), Queues, Retained, Authorizer, Clock, TopologyStore);
    }

    public FakeQueueStore Queues { get; } = new();

    public FakeRetainedStore Retained { get; } = new();

    public TestAuthorizer Authorizer { get; } = new();

    public ManualClock Clock { get; } = new(T0);

    public ITopologyStore TopologyStore { get; }

    public global::EdgeBroker.Core.Broker.Broker Broker { get; }

    public Message Message(string topic, string payload = "p", bool retain = false, string? fromClient = null, TimeSpan? expiry = null) => new()
    {
        Topic = topic,
        Payload = System.Text.Encoding.UTF8.GetBytes(payload),
        Retain = retain,
        Origin = fromClient is null ? MessageOrigin.Internal : new MessageOrigin(ProtocolKind.Mqtt, fromClient),
        TimestampMs = Clock.Now.ToUnixTimeMilliseconds(),
        ExpiryInterval = expiry,
    };
}

namespace EdgeBroker.Bench.Scenarios;

using EdgeBroker.Bench.Clients;

public enum Scenario
{
    Pairs = 0,
    FanIn = 1,
    FanOut = 2,
    Idle = 3,
    Queue = 4,
    Stream = 5,
}

/// <summary>How MQTT-style topics (<c>a/b</c>, <c>+</c>, <c>#</c>) are written as STOMP destinations.</summary>
public enum TopicStyle
{
    /// <summary>EdgeBroker: <c>/topic/a/b</c>, wildcards unchanged.</summary>
    Slash = 0,

    /// <summary>RabbitMQ: <c>/topic/a.b</c>, <c>+</c> → <c>*</c> (its MQTT plugin maps <c>a/b</c> to routing key <c>a.b</c>).</summary>
    Dotted = 1,
}

/// <summary>Everything one run is parameterised by (the command line, bound). Immutable.</summary>
public sealed record BenchOptions
{
    public Scenario Scenario { get; init; } = Scenario.Pairs;

    public ClientSettings Client { get; init; } = new("127.0.0.1", 1883, 61613, null, null, "/");

    public BenchProtocol PublishProtocol { get; init; } = BenchProtocol.Mqtt311;

    public BenchProtocol SubscribeProtocol { get; init; } = BenchProtocol.Mqtt311;

    public int Qos { get; init; }

    public StompAckMode StompAck { get; init; } = StompAckMode.Auto;

    public TopicStyle TopicStyle { get; init; } = TopicStyle.Slash;

    /// <summary>Pairs (pairs), idle connections (idle).</summary>
    public int Connections { get; init; } = 4;

    public int Publishers { get; init; } = 1;

    public int Subscribers { get; init; } = 1;

    public int Size { get; init; } = 128;

    /// <summary>Total messages per second over all publishers; 0 = unlimited (bounded by the in-flight window).</summary>
    public double Rate { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Per publisher: most messages sent and not yet acknowledged (QoS ≥ 1, receipts) or not yet received.</summary>
    public int Inflight { get; init; } = 64;

    public int Prefetch { get; init; } = 100;

    public string TopicPrefix { get; init; } = "bench";

    public string Queue { get; init; } = "bench-queue";

    public int? BrokerPid { get; init; }

    public bool Progress { get; init; } = true;

    /// <summary>Loopback source addresses to spread idle connections over (127.0.0.1 … 127.0.0.N): one address has ~28k ephemeral ports.</summary>
    public int SourceAddresses { get; init; } = 1;

    /// <summary>Longest wait after the last send for messages still in flight.</summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The STOMP destination for an MQTT-style topic or filter.</summary>
    public string StompTopic(string topic) => TopicStyle == TopicStyle.Dotted
        ? "/topic/" + topic.Replace('/', '.').Replace('+', '*')
        : "/topic/" + topic;

    public string Destination(BenchProtocol protocol, string topic) =>
        protocol == BenchProtocol.Stomp ? StompTopic(topic) : topic;
}

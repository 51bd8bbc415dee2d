namespace EdgeBroker.Bench.Scenarios;

using EdgeBroker.Bench.Clients;

/// <summary>
/// Who publishes where and who subscribes to what, per scenario. Topics carry a per-run id so rounds never see
/// each other's messages.
/// <code>
///  pairs    publisher i → &lt;prefix&gt;/&lt;run&gt;/i → receiver i                         (N = --connections)
///  fan-in   publishers i → &lt;prefix&gt;/&lt;run&gt;/i → receivers of &lt;prefix&gt;/&lt;run&gt;/+
///  fan-out  publishers → &lt;prefix&gt;/&lt;run&gt;/all → every receiver
///  queue    STOMP producers → /queue/&lt;queue&gt;-&lt;run&gt; (persistent, receipts) → competing consumers
///  stream   publishers → &lt;prefix&gt;/&lt;run&gt;/i, acknowledged, no receiver (the broker captures it into a stream)
/// </code>
/// Immutable.
/// </summary>
public sealed record ScenarioPlan(
    string[] PublishDestinations,
    string[] ReceiverSubscriptions,
    bool SharedTrackers,
    bool EndToEndWindow,
    bool Acknowledged,
    bool Persistent,
    BenchProtocol PublishProtocol,
    BenchProtocol SubscribeProtocol,
    StompAckMode AckMode,
    int Prefetch)
{
    public static ScenarioPlan For(BenchOptions o, string runId)
    {
        var baseTopic = $"{o.TopicPrefix}/{runId}";
        var acknowledged = o.Qos > 0;
        switch (o.Scenario)
        {
            case Scenario.Pairs:
                var topics = Enumerable.Range(0, o.Connections).Select(i => $"{baseTopic}/{i}").ToArray();
                return new(
                    [.. topics.Select(t => o.Destination(o.PublishProtocol, t))],
                    [.. topics.Select(t => o.Destination(o.SubscribeProtocol, t))],
                    SharedTrackers: false, EndToEndWindow: true, acknowledged, Persistent: false,
                    o.PublishProtocol, o.SubscribeProtocol, o.StompAck, Prefetch: 0);
            case Scenario.FanIn:
                return new(
                    [.. Enumerable.Range(0, o.Publishers).Select(i => o.Destination(o.PublishProtocol, $"{baseTopic}/{i}"))],
                    [.. Enumerable.Repeat(o.Destination(o.SubscribeProtocol, $"{baseTopic}/+"), o.Subscribers)],
                    SharedTrackers: false, EndToEndWindow: true, acknowledged, Persistent: false,
                    o.PublishProtocol, o.SubscribeProtocol, o.StompAck, Prefetch: 0);
            case Scenario.FanOut:
                return new(
                    [.. Enumerable.Repeat(o.Destination(o.PublishProtocol, $"{baseTopic}/all"), o.Publishers)],
                    [.. Enumerable.Repeat(o.Destination(o.SubscribeProtocol, $"{baseTopic}/all"), o.Subscribers)],
                    SharedTrackers: false, EndToEndWindow: true, acknowledged, Persistent: false,
                    o.PublishProtocol, o.SubscribeProtocol, o.StompAck, Prefetch: 0);
            case Scenario.Queue:
                var queue = $"/queue/{o.Queue}-{runId}";
                return new(
                    [.. Enumerable.Repeat(queue, o.Publishers)],
                    [.. Enumerable.Repeat(queue, o.Subscribers)],
                    SharedTrackers: true, EndToEndWindow: false, Acknowledged: true, Persistent: true,
                    BenchProtocol.Stomp, BenchProtocol.Stomp,
                    o.StompAck == StompAckMode.Auto ? StompAckMode.ClientIndividual : o.StompAck, o.Prefetch);
            case Scenario.Stream:
                return new(
                    [.. Enumerable.Range(0, o.Publishers).Select(i => o.Destination(o.PublishProtocol, $"{baseTopic}/{i}"))],
                    [],
                    SharedTrackers: false, EndToEndWindow: false, Acknowledged: true, Persistent: true,
                    o.PublishProtocol, o.SubscribeProtocol, o.StompAck, Prefetch: 0);
            default:
                throw new ArgumentOutOfRangeException(nameof(o), o.Scenario, "Not a message-flow scenario.");
        }
    }
}

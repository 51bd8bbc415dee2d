namespace EdgeBroker.Bench.Tests;

/// <summary>
/// The allocation budget of every micro-benchmark workload, in bytes per operation: what was measured when the
/// budget was set plus a small margin (about 10 %, at least 16 bytes) for runtime differences; a path that
/// allocated nothing has budget 0, so it stays allocation-free. A change that
/// allocates more on one of these hot paths fails CI (<see cref="AllocationBudgetTests"/>); lowering a
/// budget after an improvement is welcome. Timings are never asserted anywhere.
/// Measured on .NET 10, x64, with tiered compilation off (see <see cref="AllocationMeter"/>).
/// </summary>
public static class AllocationBudgets
{
    public static readonly IReadOnlyDictionary<string, (double Budget, double MeasuredWhenSet, string What)> Table =
        new Dictionary<string, (double, double, string)>
        {
            ["MqttDecodePublish"] = (200, 184, "MQTT 5 QoS 1 PUBLISH, 128 B payload: the packet object and its topic string"),
            ["MqttEncodePublish"] = (0, 0, "MQTT 3.1.1 PUBLISH into a reused buffer writer"),
            ["StompDecodeSend"] = (440, 400, "STOMP 1.2 SEND with 4 headers and a 128 B body"),
            ["StompEncodeMessage"] = (0, 0, "STOMP 1.2 MESSAGE with 4 headers into a reused buffer writer"),
            ["TopicHitUncached"] = (64, 48, "trie walk over 20,003 filters (mostly '#'), 5 matches: the result array"),
            ["TopicHitCached"] = (0, 0, "the same topic from the match cache"),
            ["TopicMissUncached"] = (48, 32, "a topic only the root '#' matches: the 1-element result array"),
            ["FanOutPublish1"] = (0, 0, "one QoS 0 publish routed to 1 live subscriber"),
            ["FanOutPublish50"] = (0, 0, "one QoS 0 publish routed to 50 live subscribers"),
        };
}

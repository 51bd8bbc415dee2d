namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Topics;

/// <summary>
/// The <c>EdgeBroker:Topics</c> section: limits on topic names and filters, enforced by the core for every
/// protocol (MQTT, STOMP, HTTP, SignalR), so a device cannot grow the topic trie without bound.
/// </summary>
public sealed class TopicSettings
{
    /// <summary>Most UTF-8 bytes in a topic name or filter (the MQTT maximum is 65,535).</summary>
    public int MaxBytes { get; set; } = TopicLimits.SpecMaxBytes;

    /// <summary>Most levels in a topic name or filter; bounds trie depth and match recursion.</summary>
    public int MaxLevels { get; set; } = TopicLimits.Default.MaxLevels;

    public BrokerOptions ToBrokerOptions() => new() { TopicLimits = new TopicLimits { MaxBytes = MaxBytes, MaxLevels = MaxLevels } };

    /// <summary>Adds one failure per bad key, naming it.</summary>
    public void Validate(List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        if (MaxBytes is < 1 or > TopicLimits.SpecMaxBytes)
        {
            failures.Add($"EdgeBroker:Topics:MaxBytes must be 1..{TopicLimits.SpecMaxBytes} (was {MaxBytes}).");
        }

        if (MaxLevels is < 1 or > 4096)
        {
            failures.Add($"EdgeBroker:Topics:MaxLevels must be 1..4096 (was {MaxLevels}).");
        }
    }
}

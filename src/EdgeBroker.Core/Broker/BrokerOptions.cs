namespace EdgeBroker.Core.Broker;

using EdgeBroker.Core.Topics;

/// <summary>Routing-core settings (bound from configuration, validated at start).</summary>
public sealed record BrokerOptions
{
    /// <summary>Topic name and filter limits (65,535 bytes and 128 levels by default).</summary>
    public TopicLimits TopicLimits { get; init; } = TopicLimits.Default;

    /// <summary>Hot topics remembered per topic tree (live subscriptions, each topic exchange); 0 disables.</summary>
    public int MatchCacheCapacity { get; init; } = 4096;

    /// <summary>
    /// When false (default), clients may not publish to topics starting with <c>$</c> (<c>$SYS/…</c>,
    /// <c>$CONTROL/…</c>); internal publishers (a null publisher) always may. RELIABILITY.md "$SYS and reserved topics".
    /// </summary>
    public bool AllowClientPublishToReservedTopics { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(TopicLimits);
        if (TopicLimits.MaxBytes is < 1 or > TopicLimits.SpecMaxBytes)
        {
            throw new ArgumentException($"TopicLimits.MaxBytes must be 1..{TopicLimits.SpecMaxBytes}", nameof(TopicLimits));
        }

        if (TopicLimits.MaxLevels < 1)
        {
            throw new ArgumentException("TopicLimits.MaxLevels must be at least 1", nameof(TopicLimits));
        }

        if (MatchCacheCapacity < 0)
        {
            throw new ArgumentException("MatchCacheCapacity must not be negative", nameof(MatchCacheCapacity));
        }
    }
}

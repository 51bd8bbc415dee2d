namespace EdgeBroker.Server.Configuration;

/// <summary>The <c>EdgeBroker:StreamGroups</c> section: consumer-group timing.</summary>
public sealed class StreamGroupSettings
{
    /// <summary>A member silent (no fetch, commit or heartbeat) this long is removed and its partitions rebalanced.</summary>
    public int SessionTimeoutMs { get; set; } = 30_000;
}

namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker:Limits</c> section: connection-rate limiting per remote IP, a per-connection inbound byte rate
/// and publish message rate (backpressure by pausing reads) for MQTT and STOMP, and the memory high watermark.
/// The rates are off (0) by default: a broker behind one NAT or a load test from one host would otherwise be
/// throttled by surprise. The memory watermark is on, like RabbitMQ's. The per-listener connection caps are
/// <c>Mqtt:MaxConnections</c> and <c>Stomp:MaxConnections</c>.
/// </summary>
public sealed class LimitsSettings
{
    /// <summary>New connections per second one remote IP may open (token bucket); 0 = unlimited.</summary>
    public double ConnectionsPerSecondPerIp { get; set; }

    /// <summary>Connections one IP may open at once before the rate applies; 0 = twice the rate (at least 1).</summary>
    public int ConnectionBurstPerIp { get; set; }

    /// <summary>Bytes per second one client may send (publishes and everything else it writes); 0 = unlimited.</summary>
    public long InboundBytesPerSecond { get; set; }

    /// <summary>Bytes a client may send in one burst before the rate applies; 0 = one second's worth (at least 64 KiB).</summary>
    public long InboundBurstBytes { get; set; }

    /// <summary>MQTT PUBLISH / STOMP SEND frames one connection may send per second; 0 = unlimited.</summary>
    public double PublishMessagesPerSecond { get; set; }

    /// <summary>Publishes a connection may send at once before the rate applies; 0 = one second's worth (at least 1).</summary>
    public double PublishBurstMessages { get; set; }

    /// <summary>
    /// Managed memory in use above which publishers are held until it drops again; 0 = use
    /// <see cref="MemoryHighWatermarkFraction"/>.
    /// </summary>
    public long MemoryHighWatermarkBytes { get; set; }

    /// <summary>The watermark as a fraction of the memory available to the process (container limit or RAM); 0 = off.</summary>
    public double MemoryHighWatermarkFraction { get; set; } = 0.6;

    /// <summary>How often memory use is sampled.</summary>
    public int MemoryCheckIntervalMs { get; set; } = 1000;

    public double EffectiveConnectionBurst => ConnectionBurstPerIp > 0 ? ConnectionBurstPerIp : Math.Max(1, Math.Ceiling(ConnectionsPerSecondPerIp * 2));

    public long EffectiveInboundBurst => InboundBurstBytes > 0 ? InboundBurstBytes : Math.Max(64 * 1024, InboundBytesPerSecond);

    /// <summary>The adapters' publish limits over the host's alarms (invalid values, reported by validation, count as 0).</summary>
    public Core.Limits.PublishLimits ToPublishLimits(Core.Broker.ResourceAlarms alarms, TimeProvider time) =>
        new(alarms, NonNegative(PublishMessagesPerSecond), NonNegative(PublishBurstMessages), time);

    private static double NonNegative(double value) => value > 0 ? value : 0;

    public static void Validate(EdgeBrokerOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        var limits = options.Limits;
        if (limits.ConnectionsPerSecondPerIp < 0 || double.IsNaN(limits.ConnectionsPerSecondPerIp))
        {
            failures.Add($"EdgeBroker:Limits:ConnectionsPerSecondPerIp must be 0 (unlimited) or more (was {limits.ConnectionsPerSecondPerIp}).");
        }

        if (limits.ConnectionBurstPerIp < 0)
        {
            failures.Add($"EdgeBroker:Limits:ConnectionBurstPerIp must be 0 (default) or more (was {limits.ConnectionBurstPerIp}).");
        }

        if (limits.InboundBytesPerSecond < 0)
        {
            failures.Add($"EdgeBroker:Limits:InboundBytesPerSecond must be 0 (unlimited) or more (was {limits.InboundBytesPerSecond}).");
        }

        if (limits.InboundBurstBytes < 0)
        {
            failures.Add($"EdgeBroker:Limits:InboundBurstBytes must be 0 (default) or more (was {limits.InboundBurstBytes}).");
        }

        if (limits.PublishMessagesPerSecond < 0 || double.IsNaN(limits.PublishMessagesPerSecond))
        {
            failures.Add($"EdgeBroker:Limits:PublishMessagesPerSecond must be 0 (unlimited) or more (was {limits.PublishMessagesPerSecond}).");
        }

        if (limits.PublishBurstMessages < 0 || double.IsNaN(limits.PublishBurstMessages))
        {
            failures.Add($"EdgeBroker:Limits:PublishBurstMessages must be 0 (default) or more (was {limits.PublishBurstMessages}).");
        }

        if (limits.MemoryHighWatermarkBytes < 0)
        {
            failures.Add($"EdgeBroker:Limits:MemoryHighWatermarkBytes must be 0 (use the fraction) or more (was {limits.MemoryHighWatermarkBytes}).");
        }

        if (limits.MemoryHighWatermarkFraction is < 0 or > 1 || double.IsNaN(limits.MemoryHighWatermarkFraction))
        {
            failures.Add($"EdgeBroker:Limits:MemoryHighWatermarkFraction must be between 0 (off) and 1 (was {limits.MemoryHighWatermarkFraction}).");
        }

        if (limits.MemoryCheckIntervalMs is < 10 or > 60_000)
        {
            failures.Add($"EdgeBroker:Limits:MemoryCheckIntervalMs must be between 10 and 60000 (was {limits.MemoryCheckIntervalMs}).");
        }

        if (options.Mqtt.MaxConnections < 0)
        {
            failures.Add($"EdgeBroker:Mqtt:MaxConnections must be 0 (unlimited) or more (was {options.Mqtt.MaxConnections}).");
        }

        if (options.Stomp.MaxConnections < 0)
        {
            failures.Add($"EdgeBroker:Stomp:MaxConnections must be 0 (unlimited) or more (was {options.Stomp.MaxConnections}).");
        }
    }
}

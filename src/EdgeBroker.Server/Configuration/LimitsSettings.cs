namespace EdgeBroker.Server.Configuration;

/// <summary>
/// The <c>EdgeBroker:Limits</c> section: connection-rate limiting per remote IP and a per-connection inbound byte
/// rate (backpressure by pausing reads) for the MQTT and STOMP TCP/TLS listeners. Everything is off (0) by default:
/// a broker behind one NAT or a load test from one host would otherwise be throttled by surprise. The per-listener
/// connection caps are <c>Mqtt:MaxConnections</c> and <c>Stomp:MaxConnections</c>.
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

    public double EffectiveConnectionBurst => ConnectionBurstPerIp > 0 ? ConnectionBurstPerIp : Math.Max(1, Math.Ceiling(ConnectionsPerSecondPerIp * 2));

    public long EffectiveInboundBurst => InboundBurstBytes > 0 ? InboundBurstBytes : Math.Max(64 * 1024, InboundBytesPerSecond);

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

namespace EdgeBroker.Mqtt.Server;

/// <summary>
/// Limits and behaviour of the MQTT adapter (bound from <c>EdgeBroker:Mqtt</c> by the host). Defaults follow
/// RELIABILITY.md "Security defaults". Immutable once the server started; validated by <see cref="Validate"/>.
/// </summary>
public sealed record MqttServerOptions
{
    /// <summary>Largest packet accepted after CONNECT, fixed header included (v5 Maximum Packet Size in CONNACK).</summary>
    public int MaxPacketSize { get; init; } = 1024 * 1024;

    /// <summary>A socket that does not complete CONNECT within this time is closed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest keep-alive accepted; v5 clients asking more (or 0) get this as Server Keep Alive, 3.x clients above it are refused.</summary>
    public ushort MaxKeepAliveSeconds { get; init; } = 600;

    /// <summary>QoS 1/2 publishes a client may have unacknowledged towards the server (v5 Receive Maximum in CONNACK).</summary>
    public ushort ReceiveMaximum { get; init; } = 100;

    /// <summary>QoS 1/2 deliveries in flight towards one client (lowered to the client's Receive Maximum).</summary>
    public ushort MaxInflight { get; init; } = 20;

    /// <summary>Topic aliases a v5 client may use towards the server (v5 Topic Alias Maximum in CONNACK).</summary>
    public ushort TopicAliasMaximum { get; init; } = 16;

    /// <summary>Live messages buffered per connection beyond the inflight window; more are dropped and counted.</summary>
    public int MaxQueuedMessages { get; init; } = 1000;

    /// <summary>Most messages a persistent session's queue holds; a publish beyond it is refused (R12, v5 0x97).</summary>
    public long SessionQueueMaxLength { get; init; } = 100_000;

    public int MaxClientIdLength { get; init; } = 256;

    /// <summary>Largest session expiry granted (seconds); a larger request is lowered and reported in CONNACK.</summary>
    public uint MaxSessionExpirySeconds { get; init; } = uint.MaxValue;

    public int MaxSubscriptionsPerSession { get; init; } = 1000;

    /// <summary>Refuses a client id that connects too often (v5 CONNACK 0x9F, 3.x return code 3); off by default.</summary>
    public Core.Security.FlappingDetector Flapping { get; init; } = Core.Security.FlappingDetector.Disabled;

    /// <summary>Holds back a publishing client while the memory alarm is on or it is over its message rate (no rate by default).</summary>
    public Core.Limits.PublishLimits Publishing { get; init; } = Core.Limits.PublishLimits.Unlimited;

    /// <summary>How often disconnected persistent sessions are checked for expiry.</summary>
    public TimeSpan SessionSweepInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a closing connection may take to flush its last packets.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Interval of the <c>$SYS/broker/...</c> statistics; zero disables them.</summary>
    public TimeSpan SysInterval { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (MaxPacketSize is < 64 or > Codec.MqttCodecLimits.ProtocolMaximumPacketSize)
        {
            throw new ArgumentException($"MaxPacketSize must be in 64..{Codec.MqttCodecLimits.ProtocolMaximumPacketSize} (was {MaxPacketSize}).");
        }

        if (ConnectTimeout <= TimeSpan.Zero || CloseTimeout <= TimeSpan.Zero || SessionSweepInterval <= TimeSpan.Zero || SysInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("ConnectTimeout, CloseTimeout and SessionSweepInterval must be positive; SysInterval must not be negative.");
        }

        if (ReceiveMaximum == 0 || MaxInflight == 0)
        {
            throw new ArgumentException("ReceiveMaximum and MaxInflight must be at least 1.");
        }

        if (MaxQueuedMessages < 1 || SessionQueueMaxLength < 1 || MaxClientIdLength < 23 || MaxSubscriptionsPerSession < 1)
        {
            throw new ArgumentException("MaxQueuedMessages, SessionQueueMaxLength and MaxSubscriptionsPerSession must be positive; MaxClientIdLength at least 23.");
        }
    }
}

namespace EdgeBroker.Server.Configuration;

using EdgeBroker.Mqtt.Server;

/// <summary>
/// The <c>EdgeBroker:Mqtt</c> section: the MQTT TCP listener (switch <c>--mqtt-port</c>, 0 disables it), the
/// MQTT-over-WebSocket path on the HTTP port, and the adapter's limits (RELIABILITY.md defaults).
/// Validated at start with the rest of <see cref="EdgeBrokerOptions"/>.
/// </summary>
public sealed class MqttSettings
{
    /// <summary>Concurrent connections on the MQTT TCP and TLS listeners together; beyond it the socket is closed at once. 0 = unlimited.</summary>
    public int MaxConnections { get; set; } = 20_000;

    /// <summary>MQTT over TCP; 0 disables the listener.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Loopback by default, like the HTTP listener (Mosquitto 2 style).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>MQTT over TLS; null = 8883 once <c>EdgeBroker:Tls:CertificateFile</c> is set, 0 disables it.</summary>
    public int? TlsPort { get; set; }

    /// <summary>Where the TLS listener binds; null = <see cref="BindAddress"/>.</summary>
    public string? TlsBindAddress { get; set; }

    /// <summary>The TLS port that opens: 0 without a server certificate.</summary>
    public int EffectiveTlsPort(TlsSettings tls) => tls?.Enabled == true ? TlsPort ?? 8883 : 0;

    /// <summary>MQTT over WebSocket on the HTTP port (subprotocol <c>mqtt</c>); empty disables it.</summary>
    public string WebSocketPath { get; set; } = "/mqtt";

    public int MaxPacketSize { get; set; } = 1024 * 1024;

    public int ConnectTimeoutSeconds { get; set; } = 10;

    public int MaxKeepAliveSeconds { get; set; } = 600;

    public int ReceiveMaximum { get; set; } = 100;

    public int MaxInflight { get; set; } = 20;

    public int TopicAliasMaximum { get; set; } = 16;

    public int MaxQueuedMessages { get; set; } = 1000;

    public long SessionQueueMaxLength { get; set; } = 100_000;

    public int MaxClientIdLength { get; set; } = 256;

    public long MaxSessionExpirySeconds { get; set; } = uint.MaxValue;

    public int MaxSubscriptionsPerSession { get; set; } = 1000;

    /// <summary>Interval of the <c>$SYS/broker/…</c> statistics; 0 disables them.</summary>
    public int SysIntervalSeconds { get; set; } = 10;

    /// <summary>Flapping detection: connects of one client id allowed per window before it is refused; 0 disables it.</summary>
    public int FlappingMaxConnects { get; set; }

    public int FlappingWindowSeconds { get; set; } = 60;

    public int FlappingBanSeconds { get; set; } = 300;

    public MqttServerOptions ToServerOptions() => new()
    {
        MaxPacketSize = MaxPacketSize,
        ConnectTimeout = TimeSpan.FromSeconds(ConnectTimeoutSeconds),
        MaxKeepAliveSeconds = (ushort)MaxKeepAliveSeconds,
        ReceiveMaximum = (ushort)ReceiveMaximum,
        MaxInflight = (ushort)MaxInflight,
        TopicAliasMaximum = (ushort)TopicAliasMaximum,
        MaxQueuedMessages = MaxQueuedMessages,
        SessionQueueMaxLength = SessionQueueMaxLength,
        MaxClientIdLength = MaxClientIdLength,
        MaxSessionExpirySeconds = (uint)MaxSessionExpirySeconds,
        MaxSubscriptionsPerSession = MaxSubscriptionsPerSession,
        SysInterval = TimeSpan.FromSeconds(SysIntervalSeconds),
        Flapping = FlappingMaxConnects == 0
            ? Core.Security.FlappingDetector.Disabled
            : new Core.Security.FlappingDetector(FlappingMaxConnects, TimeSpan.FromSeconds(FlappingWindowSeconds), TimeSpan.FromSeconds(FlappingBanSeconds)),
    };

    /// <summary>Adds one failure per bad key, naming it.</summary>
    public static void Validate(MqttSettings mqtt, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(mqtt);
        ArgumentNullException.ThrowIfNull(failures);
        if (mqtt.Port is < 0 or > 65535)
        {
            failures.Add($"EdgeBroker:Mqtt:Port must be between 0 and 65535 (was {mqtt.Port}).");
        }

        if (!EdgeBrokerOptionsValidator.IsBindAddress(mqtt.BindAddress))
        {
            failures.Add($"EdgeBroker:Mqtt:BindAddress '{mqtt.BindAddress}' is not an IP address or 'localhost'.");
        }

        if (mqtt.TlsBindAddress is not null && !EdgeBrokerOptionsValidator.IsBindAddress(mqtt.TlsBindAddress))
        {
            failures.Add($"EdgeBroker:Mqtt:TlsBindAddress '{mqtt.TlsBindAddress}' is not an IP address or 'localhost'.");
        }

        if (mqtt.WebSocketPath is { Length: > 0 } path && !path.StartsWith('/'))
        {
            failures.Add($"EdgeBroker:Mqtt:WebSocketPath must start with '/' (was '{path}').");
        }

        Check(mqtt.ConnectTimeoutSeconds is >= 1 and <= 3600, "ConnectTimeoutSeconds", "1..3600", mqtt.ConnectTimeoutSeconds, failures);
        Check(mqtt.MaxKeepAliveSeconds is >= 1 and <= ushort.MaxValue, "MaxKeepAliveSeconds", "1..65535", mqtt.MaxKeepAliveSeconds, failures);
        Check(mqtt.ReceiveMaximum is >= 1 and <= ushort.MaxValue, "ReceiveMaximum", "1..65535", mqtt.ReceiveMaximum, failures);
        Check(mqtt.MaxInflight is >= 1 and <= ushort.MaxValue, "MaxInflight", "1..65535", mqtt.MaxInflight, failures);
        Check(mqtt.TopicAliasMaximum is >= 0 and <= ushort.MaxValue, "TopicAliasMaximum", "0..65535", mqtt.TopicAliasMaximum, failures);
        Check(mqtt.MaxSessionExpirySeconds is >= 0 and <= uint.MaxValue, "MaxSessionExpirySeconds", "0..4294967295", mqtt.MaxSessionExpirySeconds, failures);
        Check(mqtt.SysIntervalSeconds >= 0, "SysIntervalSeconds", "0 or more", mqtt.SysIntervalSeconds, failures);
        Check(mqtt.FlappingMaxConnects >= 0, "FlappingMaxConnects", "0 (off) or more", mqtt.FlappingMaxConnects, failures);
        Check(mqtt.FlappingWindowSeconds is >= 1 and <= 86_400, "FlappingWindowSeconds", "1..86400", mqtt.FlappingWindowSeconds, failures);
        Check(mqtt.FlappingBanSeconds is >= 1 and <= 86_400, "FlappingBanSeconds", "1..86400", mqtt.FlappingBanSeconds, failures);
        if (failures.Count == 0)
        {
            try
            {
                mqtt.ToServerOptions().Validate();
            }
            catch (ArgumentException ex)
            {
                failures.Add("EdgeBroker:Mqtt: " + ex.Message);
            }
        }
    }

    private static void Check(bool ok, string key, string range, long value, List<string> failures)
    {
        if (!ok)
        {
            failures.Add($"EdgeBroker:Mqtt:{key} must be {range} (was {value}).");
        }
    }
}

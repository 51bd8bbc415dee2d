namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// CONNECT (spec 3.1). Layout:
/// <code>
/// fixed header   0x10, remaining length
/// variable hdr   protocol name ("MQTT" | "MQIsdp") · level (3|4|5) · connect flags · keep alive (u16)
///                [v5] properties
/// payload        client id · [will: [v5] will properties · will topic · will payload]
///                · [user name] · [password]
/// connect flags  7 user name · 6 password · 5 will retain · 4-3 will QoS · 2 will · 1 clean · 0 reserved
/// </code>
/// </summary>
public sealed class MqttConnectPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.Connect;

    /// <summary>The level the packet declares; the protocol name follows from it.</summary>
    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    /// <summary>Clean Session (3.x) or Clean Start (5.0).</summary>
    public bool CleanSession { get; init; }

    public ushort KeepAliveSeconds { get; init; }

    /// <summary>May be empty; whether that is acceptable is session policy.</summary>
    public string ClientId { get; init; } = string.Empty;

    public MqttWillMessage? Will { get; init; }

    public string? UserName { get; init; }

    /// <summary>Binary data (a UTF-8 string in 3.1, same wire format).</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    public MqttProperties? Properties { get; init; }
}

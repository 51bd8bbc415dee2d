namespace EdgeBroker.Mqtt.Codec;

/// <summary>The Will of a CONNECT (Will flag set). Payload is copied: CONNECT is rare and the
/// session keeps the Will for the connection's lifetime.</summary>
public sealed class MqttWillMessage
{
    public required string Topic { get; init; }

    public ReadOnlyMemory<byte> Payload { get; init; }

    public MqttQos Qos { get; init; }

    public bool Retain { get; init; }

    /// <summary>v5 Will properties; null when absent or for v3/v4.</summary>
    public MqttProperties? Properties { get; init; }
}

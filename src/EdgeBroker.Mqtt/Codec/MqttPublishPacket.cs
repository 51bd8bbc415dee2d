namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>
/// PUBLISH (spec 3.3). Layout:
/// <code>
/// fixed header   0x3 · DUP(3) QoS(2-1) RETAIN(0), remaining length
/// variable hdr   topic name · [QoS &gt; 0: packet id (u16, non-zero)] · [v5] properties
/// payload        the rest of the packet (may be empty)
/// </code>
/// A decoded <see cref="Payload"/> is a slice of the reader's input buffer, not a copy: it is valid
/// only until the caller advances its pipe past the packet, so the adapter copies it once into the
/// message buffer.
/// </summary>
public sealed class MqttPublishPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.Publish;

    /// <summary>May be empty in v5 when a Topic Alias is present.</summary>
    public string Topic { get; init; } = string.Empty;

    public MqttQos Qos { get; init; }

    public bool Dup { get; init; }

    public bool Retain { get; init; }

    /// <summary>0 for QoS 0.</summary>
    public ushort PacketId { get; init; }

    public ReadOnlySequence<byte> Payload { get; init; }

    public MqttProperties? Properties { get; init; }
}

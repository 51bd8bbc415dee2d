namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// A decoded (or to-be-encoded) MQTT control packet. Packets are plain data: the reader decodes
/// every type in both directions and leaves "may a client send this?" to the session.
/// Instances are not thread-safe; a decoded packet is treated as read-only.
/// </summary>
public abstract class MqttPacket
{
    public abstract MqttPacketType PacketType { get; }
}

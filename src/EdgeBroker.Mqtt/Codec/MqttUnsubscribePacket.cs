namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// UNSUBSCRIBE (spec 3.10). Layout:
/// <code>
/// fixed header   0xA2, remaining length
/// variable hdr   packet id (u16, non-zero) · [v5] properties
/// payload        (topic filter)+   at least one [MQTT-3.10.3-2]
/// </code>
/// </summary>
public sealed class MqttUnsubscribePacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.Unsubscribe;

    public ushort PacketId { get; init; }

    public IReadOnlyList<string> TopicFilters { get; init; } = [];

    public MqttProperties? Properties { get; init; }
}

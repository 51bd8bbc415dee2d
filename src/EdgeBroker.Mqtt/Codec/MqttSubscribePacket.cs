namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// SUBSCRIBE (spec 3.8). Layout:
/// <code>
/// fixed header   0x82, remaining length
/// variable hdr   packet id (u16, non-zero) · [v5] properties
/// payload        (topic filter · options byte)+   at least one entry [MQTT-3.8.3-3]
/// </code>
/// </summary>
public sealed class MqttSubscribePacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.Subscribe;

    public ushort PacketId { get; init; }

    public IReadOnlyList<MqttSubscription> Subscriptions { get; init; } = [];

    public MqttProperties? Properties { get; init; }
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBREL (spec 3.6): QoS 2 step 2, publish release. Fixed-header flags are 0010. Layout in <see cref="MqttAckPacket"/>.</summary>
public sealed class MqttPubRelPacket : MqttAckPacket
{
    public override MqttPacketType PacketType => MqttPacketType.PubRel;
}

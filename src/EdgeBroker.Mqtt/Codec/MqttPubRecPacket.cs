namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBREC (spec 3.5): QoS 2 step 1, publish received. Layout in <see cref="MqttAckPacket"/>.</summary>
public sealed class MqttPubRecPacket : MqttAckPacket
{
    public override MqttPacketType PacketType => MqttPacketType.PubRec;
}

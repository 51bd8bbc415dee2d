namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBCOMP (spec 3.7): QoS 2 step 3, publish complete. Layout in <see cref="MqttAckPacket"/>.</summary>
public sealed class MqttPubCompPacket : MqttAckPacket
{
    public override MqttPacketType PacketType => MqttPacketType.PubComp;
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBACK (spec 3.4): the QoS 1 acknowledgement. Layout in <see cref="MqttAckPacket"/>.</summary>
public sealed class MqttPubAckPacket : MqttAckPacket
{
    public override MqttPacketType PacketType => MqttPacketType.PubAck;
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>PINGRESP (spec 3.13): <c>0xD0 0x00</c>. Stateless, so the reader returns one shared instance.</summary>
public sealed class MqttPingRespPacket : MqttPacket
{
    public static MqttPingRespPacket Instance { get; } = new();

    public override MqttPacketType PacketType => MqttPacketType.PingResp;
}

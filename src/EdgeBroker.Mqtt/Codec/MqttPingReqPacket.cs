namespace EdgeBroker.Mqtt.Codec;

/// <summary>PINGREQ (spec 3.12): <c>0xC0 0x00</c>. Stateless, so the reader returns one shared instance.</summary>
public sealed class MqttPingReqPacket : MqttPacket
{
    public static MqttPingReqPacket Instance { get; } = new();

    public override MqttPacketType PacketType => MqttPacketType.PingReq;
}

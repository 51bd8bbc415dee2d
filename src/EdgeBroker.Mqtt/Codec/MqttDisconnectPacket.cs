namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// DISCONNECT (spec 3.14). Layout: <c>0xE0 · len · [v5] reason code · [v5] properties</c>.
/// 3.1/3.1.1: remaining length 0. v5: length 0 means Normal disconnection (0x00); length 1 means
/// a reason code without properties.
/// </summary>
public sealed class MqttDisconnectPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.Disconnect;

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties? Properties { get; init; }
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// AUTH (spec 3.15, v5 only). Layout: <c>0xF0 · len · reason code · properties</c>; length 0 means
/// Success without properties. Codes: 0x00 Success, 0x18 Continue authentication, 0x19 Re-authenticate.
/// </summary>
public sealed class MqttAuthPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.Auth;

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties? Properties { get; init; }
}

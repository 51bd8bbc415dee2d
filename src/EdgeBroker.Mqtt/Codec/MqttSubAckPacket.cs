namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// SUBACK (spec 3.9). Layout: <c>0x90 · len · packet id · [v5] properties · (reason code)+</c>,
/// one code per filter of the SUBSCRIBE, in order. 3.1.1 allows 0x00-0x02 and 0x80 (Failure);
/// 3.1 only 0x00-0x02.
/// </summary>
public sealed class MqttSubAckPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.SubAck;

    public ushort PacketId { get; init; }

    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];

    public MqttProperties? Properties { get; init; }
}

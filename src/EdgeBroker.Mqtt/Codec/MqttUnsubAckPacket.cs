namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// UNSUBACK (spec 3.11). Layout: <c>0xB0 · len · packet id · [v5] properties · [v5] (reason code)+</c>.
/// 3.1/3.1.1 carry the packet id only.
/// </summary>
public sealed class MqttUnsubAckPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.UnsubAck;

    public ushort PacketId { get; init; }

    /// <summary>v5 only; empty for 3.1/3.1.1.</summary>
    public IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; } = [];

    public MqttProperties? Properties { get; init; }
}

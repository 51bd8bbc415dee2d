namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// Shared shape of PUBACK, PUBREC, PUBREL and PUBCOMP (spec 3.4-3.7):
/// <code>
/// fixed header   type · flags (0000, PUBREL 0010), remaining length
/// variable hdr   packet id (u16, non-zero) · [v5, optional] reason code · [v5, optional] properties
/// </code>
/// In v5 the reason code may be omitted when it is Success and there are no properties
/// (remaining length 2), and the properties may be omitted (remaining length 3).
/// </summary>
public abstract class MqttAckPacket : MqttPacket
{
    public ushort PacketId { get; init; }

    /// <summary>v5 only; always Success for 3.1/3.1.1.</summary>
    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties? Properties { get; init; }
}

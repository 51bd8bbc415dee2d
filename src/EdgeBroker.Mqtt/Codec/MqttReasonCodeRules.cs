namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// Which reason codes each v5 packet may carry (spec 3.2.2.2, 3.4.2.1, 3.5.2.1, 3.6.2.1, 3.7.2.1,
/// 3.9.3, 3.11.3, 3.14.2.1, 3.15.2.1). The reader rejects any other byte with 0x82 Protocol error:
/// an unknown code cannot be acted on safely. Stateless.
/// </summary>
public static class MqttReasonCodeRules
{
    public static bool IsAllowed(MqttPacketType packetType, MqttProtocolVersion version, byte code) => packetType switch
    {
        MqttPacketType.ConnAck => code is 0x00 or (>= 0x80 and <= 0x8A) or 0x8C or 0x90 or 0x95 or 0x97
            or (>= 0x99 and <= 0x9D) or 0x9F,
        MqttPacketType.PubAck or MqttPacketType.PubRec => code is 0x00 or 0x10 or 0x80 or 0x83 or 0x87 or 0x90
            or 0x91 or 0x97 or 0x99,
        MqttPacketType.PubRel or MqttPacketType.PubComp => code is 0x00 or 0x92,
        MqttPacketType.SubAck => version == MqttProtocolVersion.V500
            ? code is 0x00 or 0x01 or 0x02 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91 or 0x97 or 0x9E or 0xA1 or 0xA2
            : version == MqttProtocolVersion.V311 ? code is 0x00 or 0x01 or 0x02 or 0x80 : code is 0x00 or 0x01 or 0x02,
        MqttPacketType.UnsubAck => code is 0x00 or 0x11 or 0x80 or 0x83 or 0x87 or 0x8F or 0x91,
        MqttPacketType.Disconnect => code is 0x00 or 0x04 or (>= 0x80 and <= 0x83) or 0x87 or 0x89 or 0x8B
            or 0x8D or 0x8E or 0x8F or 0x90 or (>= 0x93 and <= 0xA2),
        MqttPacketType.Auth => code is 0x00 or 0x18 or 0x19,
        _ => false,
    };
}

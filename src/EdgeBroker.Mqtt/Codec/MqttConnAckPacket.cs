namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// CONNACK (spec 3.2). Layout: <c>0x20 · len · ack flags (bit 0 session present) · code · [v5] properties</c>.
/// The code is a v5 reason code in the model for every version; for 3.1/3.1.1 the writer maps it to
/// the return code 0..5 (<see cref="ToV3ReturnCode"/>) and the reader maps back.
/// </summary>
public sealed class MqttConnAckPacket : MqttPacket
{
    public override MqttPacketType PacketType => MqttPacketType.ConnAck;

    /// <summary>Always false on the wire for 3.1 (no such flag there).</summary>
    public bool SessionPresent { get; init; }

    public MqttReasonCode ReasonCode { get; init; }

    public MqttProperties? Properties { get; init; }

    /// <summary>v5 reason code → 3.1.1 return code (0 accepted, 1 bad version, 2 bad client id,
    /// 3 server unavailable, 4 bad user name or password, 5 not authorized).</summary>
    public static byte ToV3ReturnCode(MqttReasonCode reasonCode) => reasonCode switch
    {
        MqttReasonCode.Success => 0,
        MqttReasonCode.UnsupportedProtocolVersion => 1,
        MqttReasonCode.ClientIdentifierNotValid => 2,
        MqttReasonCode.BadUserNameOrPassword or MqttReasonCode.BadAuthenticationMethod => 4,
        MqttReasonCode.NotAuthorized or MqttReasonCode.Banned => 5,
        _ => 3,
    };

    /// <summary>3.1.1 return code → v5 reason code; false for the reserved values 6..255.</summary>
    public static bool TryFromV3ReturnCode(byte returnCode, out MqttReasonCode reasonCode)
    {
        reasonCode = returnCode switch
        {
            0 => MqttReasonCode.Success,
            1 => MqttReasonCode.UnsupportedProtocolVersion,
            2 => MqttReasonCode.ClientIdentifierNotValid,
            3 => MqttReasonCode.ServerUnavailable,
            4 => MqttReasonCode.BadUserNameOrPassword,
            5 => MqttReasonCode.NotAuthorized,
            _ => MqttReasonCode.UnspecifiedError,
        };
        return returnCode <= 5;
    }
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>
/// The only exception <see cref="MqttPacketReader"/> throws for bad input. <see cref="ReasonCode"/>
/// is what a v5 session answers with (CONNACK or DISCONNECT); a v3/v4 session maps it (CONNACK
/// return code for CONNECT errors, otherwise a plain close). The message names the spec statement.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    public MqttProtocolException(MqttReasonCode reasonCode, string message)
        : base(message)
    {
        ReasonCode = reasonCode;
    }

    public MqttReasonCode ReasonCode { get; }

    /// <summary>
    /// The protocol version the failing packet was read under: the version the session passed,
    /// except for CONNECT, where it is the level the packet declared (so the session can answer a
    /// v5 CONNACK or a 3.1.1 one). For an unsupported
    /// name/level pair it is <see cref="MqttProtocolVersion.V500"/> when the level byte was 5 and
    /// <see cref="MqttProtocolVersion.V311"/> otherwise (a 4-byte CONNACK with return code 0x01 is
    /// understood by every 3.x client). <see cref="MqttProtocolVersion.Unknown"/> when the failure
    /// came before the level byte.
    /// </summary>
    public MqttProtocolVersion ProtocolVersion { get; internal set; }

    internal static MqttProtocolException Malformed(string message) => new(MqttReasonCode.MalformedPacket, message);

    internal static MqttProtocolException ProtocolViolation(string message) => new(MqttReasonCode.ProtocolError, message);
}

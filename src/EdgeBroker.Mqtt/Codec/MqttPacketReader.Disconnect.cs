namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>DISCONNECT and AUTH bodies; layouts on <see cref="MqttDisconnectPacket"/> and <see cref="MqttAuthPacket"/>.</summary>
public static partial class MqttPacketReader
{
    private static MqttDisconnectPacket ReadDisconnect(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        if (version != MqttProtocolVersion.V500 || reader.End)
        {
            // 3.x: remaining length 0 was enforced from the fixed header. v5: 0 = normal disconnection.
            return new MqttDisconnectPacket();
        }

        var (code, properties) = ReadReasonAndProperties(ref reader, MqttPacketType.Disconnect, MqttPropertyContext.Disconnect, limits);
        return new MqttDisconnectPacket { ReasonCode = code, Properties = properties };
    }

    private static MqttAuthPacket ReadAuth(ref SequenceReader<byte> reader, MqttCodecLimits limits)
    {
        if (reader.End)
        {
            return new MqttAuthPacket();
        }

        var (code, properties) = ReadReasonAndProperties(ref reader, MqttPacketType.Auth, MqttPropertyContext.Auth, limits);
        return new MqttAuthPacket { ReasonCode = code, Properties = properties };
    }

    private static (MqttReasonCode Code, MqttProperties? Properties) ReadReasonAndProperties(
        ref SequenceReader<byte> reader, MqttPacketType type, MqttPropertyContext context, MqttCodecLimits limits)
    {
        var code = MqttWireReader.ReadByte(ref reader);
        CheckReasonCode(type, MqttProtocolVersion.V500, code);
        var properties = reader.End ? null : ReadProperties(ref reader, context, limits);
        MqttWireReader.EnsureEnd(ref reader, type.ToString());
        return ((MqttReasonCode)code, properties);
    }
}

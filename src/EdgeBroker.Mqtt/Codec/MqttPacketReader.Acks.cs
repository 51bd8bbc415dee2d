namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>PUBACK, PUBREC, PUBREL and PUBCOMP bodies; layout on <see cref="MqttAckPacket"/>.</summary>
public static partial class MqttPacketReader
{
    private static MqttAckPacket ReadAck(MqttPacketType type, ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var packetId = MqttWireReader.ReadUInt16(ref reader);
        CheckPacketId(packetId, type);

        var reasonCode = MqttReasonCode.Success;
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500 && !reader.End)
        {
            var code = MqttWireReader.ReadByte(ref reader);
            CheckReasonCode(type, version, code);
            reasonCode = (MqttReasonCode)code;
            if (!reader.End)
            {
                properties = ReadProperties(ref reader, ContextOf(type), limits);
            }
        }

        MqttWireReader.EnsureEnd(ref reader, type.ToString());
        return type switch
        {
            MqttPacketType.PubAck => new MqttPubAckPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
            MqttPacketType.PubRec => new MqttPubRecPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
            MqttPacketType.PubRel => new MqttPubRelPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
            _ => new MqttPubCompPacket { PacketId = packetId, ReasonCode = reasonCode, Properties = properties },
        };
    }

    private static MqttPropertyContext ContextOf(MqttPacketType type) => type switch
    {
        MqttPacketType.PubAck => MqttPropertyContext.PubAck,
        MqttPacketType.PubRec => MqttPropertyContext.PubRec,
        MqttPacketType.PubRel => MqttPropertyContext.PubRel,
        _ => MqttPropertyContext.PubComp,
    };
}

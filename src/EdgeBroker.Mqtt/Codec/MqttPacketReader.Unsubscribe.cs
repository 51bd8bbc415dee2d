namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>UNSUBSCRIBE and UNSUBACK bodies; layouts on <see cref="MqttUnsubscribePacket"/> and <see cref="MqttUnsubAckPacket"/>.</summary>
public static partial class MqttPacketReader
{
    private static MqttUnsubscribePacket ReadUnsubscribe(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var packetId = MqttWireReader.ReadUInt16(ref reader);
        CheckPacketId(packetId, MqttPacketType.Unsubscribe);
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref reader, MqttPropertyContext.Unsubscribe, limits) : null;

        var filters = new List<string>();
        while (!reader.End)
        {
            filters.Add(MqttWireReader.ReadString(ref reader));
        }

        if (filters.Count == 0)
        {
            // [MQTT-3.10.3-2] at least one topic filter.
            throw MqttProtocolException.ProtocolViolation("[MQTT-3.10.3-2] UNSUBSCRIBE without topic filters.");
        }

        return new MqttUnsubscribePacket { PacketId = packetId, TopicFilters = filters, Properties = properties };
    }

    private static MqttUnsubAckPacket ReadUnsubAck(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var packetId = MqttWireReader.ReadUInt16(ref reader);
        CheckPacketId(packetId, MqttPacketType.UnsubAck);
        if (version != MqttProtocolVersion.V500)
        {
            // Remaining length 2 was already enforced from the fixed header.
            return new MqttUnsubAckPacket { PacketId = packetId };
        }

        var properties = ReadProperties(ref reader, MqttPropertyContext.UnsubAck, limits);
        var codes = ReadReasonCodeList(ref reader, MqttPacketType.UnsubAck, version);
        return new MqttUnsubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }
}

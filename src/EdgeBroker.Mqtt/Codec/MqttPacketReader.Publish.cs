namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>PUBLISH body; layout on <see cref="MqttPublishPacket"/>.</summary>
public static partial class MqttPacketReader
{
    private static MqttPublishPacket ReadPublish(byte flags, ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var qos = (MqttQos)((flags >> 1) & 0x03);

        // The only allocation besides the packet: the topic string (an intern cache can remove it).
        var topic = MqttWireReader.ReadString(ref reader);

        ushort packetId = 0;
        if (qos != MqttQos.AtMostOnce)
        {
            packetId = MqttWireReader.ReadUInt16(ref reader);
            CheckPacketId(packetId, MqttPacketType.Publish);
        }

        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500)
        {
            properties = ReadProperties(ref reader, MqttPropertyContext.Publish, limits);
            if (topic.Length == 0 && properties?.TopicAlias is null)
            {
                // [MQTT-3.3.2-1]/v5 3.3.2.3.4: an empty topic name is allowed only with a Topic Alias.
                throw MqttProtocolException.ProtocolViolation("[MQTT-3.3.2-1] empty topic name without a Topic Alias.");
            }
        }
        else if (topic.Length == 0)
        {
            // [MQTT-4.7.3-1] topic names are at least one character long.
            throw new MqttProtocolException(MqttReasonCode.TopicNameInvalid, "[MQTT-4.7.3-1] empty topic name.");
        }

        CheckTopicName(topic, "PUBLISH");

        return new MqttPublishPacket
        {
            Topic = topic,
            Qos = qos,
            Dup = (flags & 0x08) != 0,
            Retain = (flags & 0x01) != 0,
            PacketId = packetId,

            // A slice of the input, not a copy: valid until the caller advances its pipe.
            Payload = reader.UnreadSequence,
            Properties = properties,
        };
    }

    /// <summary>
    /// [MQTT-3.3.2-2] a topic name must not contain wildcards. Only this syntactic rule lives in
    /// the codec (answered with 0x90 Topic Name invalid); length, level count and $-prefix policy
    /// belong to the session and the authorizer.
    /// </summary>
    private static void CheckTopicName(string topic, string where)
    {
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new MqttProtocolException(MqttReasonCode.TopicNameInvalid, $"[MQTT-3.3.2-2] {where} topic name contains a wildcard.");
        }
    }
}

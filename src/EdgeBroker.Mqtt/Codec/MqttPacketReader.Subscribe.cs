namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>SUBSCRIBE and SUBACK bodies; layouts on <see cref="MqttSubscribePacket"/> and <see cref="MqttSubAckPacket"/>.</summary>
public static partial class MqttPacketReader
{
    private static MqttSubscribePacket ReadSubscribe(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var packetId = MqttWireReader.ReadUInt16(ref reader);
        CheckPacketId(packetId, MqttPacketType.Subscribe);
        var properties = v5 ? ReadProperties(ref reader, MqttPropertyContext.Subscribe, limits) : null;

        var subscriptions = new List<MqttSubscription>();
        while (!reader.End)
        {
            var filter = MqttWireReader.ReadString(ref reader);
            var options = MqttWireReader.ReadByte(ref reader);
            subscriptions.Add(ReadSubscriptionOptions(filter, options, v5));
        }

        if (subscriptions.Count == 0)
        {
            // [MQTT-3.8.3-3] (3.1.1: [MQTT-3.8.3-3] too) at least one topic filter.
            throw MqttProtocolException.ProtocolViolation("[MQTT-3.8.3-3] SUBSCRIBE without topic filters.");
        }

        return new MqttSubscribePacket { PacketId = packetId, Subscriptions = subscriptions, Properties = properties };
    }

    private static MqttSubscription ReadSubscriptionOptions(string filter, byte options, bool v5)
    {
        // [MQTT-3.8.3-5] (v5) bits 7-6 reserved; [MQTT-3-8.3-4] (3.x) bits 7-2 reserved.
        var reservedMask = v5 ? 0xC0 : 0xFC;
        if ((options & reservedMask) != 0)
        {
            throw MqttProtocolException.Malformed("[MQTT-3.8.3-5] reserved subscription option bits are set.");
        }

        var qos = options & 0x03;
        if (qos == 3)
        {
            throw MqttProtocolException.Malformed("[MQTT-3.8.3-4] subscription QoS 3.");
        }

        var retainHandling = (options >> 4) & 0x03;
        if (retainHandling == 3)
        {
            // v5 3.8.3.1: "It is a Protocol Error to send a Retain Handling value of 3."
            throw MqttProtocolException.ProtocolViolation("[MQTT-3.8.3.1] retain handling 3.");
        }

        return new MqttSubscription
        {
            TopicFilter = filter,
            Qos = (MqttQos)qos,
            NoLocal = (options & 0x04) != 0,
            RetainAsPublished = (options & 0x08) != 0,
            RetainHandling = (MqttRetainHandling)retainHandling,
        };
    }

    private static MqttSubAckPacket ReadSubAck(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var packetId = MqttWireReader.ReadUInt16(ref reader);
        CheckPacketId(packetId, MqttPacketType.SubAck);
        var properties = version == MqttProtocolVersion.V500 ? ReadProperties(ref reader, MqttPropertyContext.SubAck, limits) : null;
        var codes = ReadReasonCodeList(ref reader, MqttPacketType.SubAck, version);
        return new MqttSubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }

    /// <summary>The payload of SUBACK/UNSUBACK: one code per filter, at least one.</summary>
    private static MqttReasonCode[] ReadReasonCodeList(ref SequenceReader<byte> reader, MqttPacketType type, MqttProtocolVersion version)
    {
        if (reader.End)
        {
            throw MqttProtocolException.ProtocolViolation($"{type} without reason codes.");
        }

        var codes = new MqttReasonCode[reader.Remaining];
        for (var i = 0; i < codes.Length; i++)
        {
            var code = MqttWireReader.ReadByte(ref reader);
            CheckReasonCode(type, version, code);
            codes[i] = (MqttReasonCode)code;
        }

        return codes;
    }
}

namespace EdgeBroker.Mqtt.Codec;

/// <summary>SUBSCRIBE, SUBACK, UNSUBSCRIBE and UNSUBACK; layouts on the packet classes.</summary>
public static partial class MqttPacketWriter
{
    private static long GetSubscribeSize(MqttSubscribePacket p, MqttProtocolVersion version)
    {
        long size = 2 + (version == MqttProtocolVersion.V500 ? GetPropertiesBlockSize(p.Properties) : 0);
        foreach (var subscription in p.Subscriptions)
        {
            size += MqttSpanWriter.GetStringSize(subscription.TopicFilter) + 1;
        }

        return size;
    }

    private static void WriteSubscribe(ref MqttSpanWriter w, MqttSubscribePacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        foreach (var s in p.Subscriptions)
        {
            w.WriteString(s.TopicFilter);
            var options = (int)s.Qos;
            if (version == MqttProtocolVersion.V500)
            {
                options |= (s.NoLocal ? 0x04 : 0) | (s.RetainAsPublished ? 0x08 : 0) | ((int)s.RetainHandling << 4);
            }

            w.WriteByte((byte)options);
        }
    }

    private static long GetSubAckSize(MqttSubAckPacket p, MqttProtocolVersion version) =>
        2 + (version == MqttProtocolVersion.V500 ? GetPropertiesBlockSize(p.Properties) : 0) + p.ReasonCodes.Count;

    private static void WriteSubAck(ref MqttSpanWriter w, MqttSubAckPacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        foreach (var code in p.ReasonCodes)
        {
            w.WriteByte((byte)code);
        }
    }

    private static long GetUnsubscribeSize(MqttUnsubscribePacket p, MqttProtocolVersion version)
    {
        long size = 2 + (version == MqttProtocolVersion.V500 ? GetPropertiesBlockSize(p.Properties) : 0);
        foreach (var filter in p.TopicFilters)
        {
            size += MqttSpanWriter.GetStringSize(filter);
        }

        return size;
    }

    private static void WriteUnsubscribe(ref MqttSpanWriter w, MqttUnsubscribePacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        foreach (var filter in p.TopicFilters)
        {
            w.WriteString(filter);
        }
    }

    private static long GetUnsubAckSize(MqttUnsubAckPacket p, MqttProtocolVersion version) =>
        version == MqttProtocolVersion.V500 ? 2 + GetPropertiesBlockSize(p.Properties) + p.ReasonCodes.Count : 2;

    private static void WriteUnsubAck(ref MqttSpanWriter w, MqttUnsubAckPacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        if (version != MqttProtocolVersion.V500)
        {
            return;
        }

        WriteProperties(ref w, p.Properties);
        foreach (var code in p.ReasonCodes)
        {
            w.WriteByte((byte)code);
        }
    }
}

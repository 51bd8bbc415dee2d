namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBLISH; layout on <see cref="MqttPublishPacket"/>.</summary>
public static partial class MqttPacketWriter
{
    private static long GetPublishSize(MqttPublishPacket p, MqttProtocolVersion version) =>
        MqttSpanWriter.GetStringSize(p.Topic)
        + (p.Qos == MqttQos.AtMostOnce ? 0 : 2)
        + (version == MqttProtocolVersion.V500 ? GetPropertiesBlockSize(p.Properties) : 0)
        + p.Payload.Length;

    private static void WritePublish(ref MqttSpanWriter w, MqttPublishPacket p, MqttProtocolVersion version, bool writePayload)
    {
        w.WriteString(p.Topic);
        if (p.Qos != MqttQos.AtMostOnce)
        {
            w.WriteUInt16(p.PacketId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            WriteProperties(ref w, p.Properties);
        }

        if (writePayload)
        {
            foreach (var segment in p.Payload)
            {
                w.WriteBytes(segment.Span);
            }
        }
    }
}

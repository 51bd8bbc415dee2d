namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT and AUTH: the "optional reason code, optional properties" shapes.</summary>
public static partial class MqttPacketWriter
{
    private static long GetAckSize(MqttAckPacket p, MqttProtocolVersion version) =>
        2 + GetReasonAndPropertiesSize(p.ReasonCode, p.Properties, version, lengthOptional: true);

    private static void WriteAck(ref MqttSpanWriter w, MqttAckPacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        WriteReasonAndProperties(ref w, p.ReasonCode, p.Properties, version, lengthOptional: true);
    }

    /// <summary>
    /// v5 3.4.2.1, 3.14.2.1, 3.15.2.1: the reason code is omitted when it is Success and there are
    /// no properties. The property length may also be omitted alone in acks and DISCONNECT
    /// (<paramref name="lengthOptional"/>), but not in AUTH. 3.x: neither field exists.
    /// </summary>
    private static int GetReasonAndPropertiesSize(MqttReasonCode code, MqttProperties? properties, MqttProtocolVersion version, bool lengthOptional)
    {
        if (version != MqttProtocolVersion.V500)
        {
            return 0;
        }

        var propertiesContent = GetPropertiesContentSize(properties);
        if (propertiesContent == 0 && code == MqttReasonCode.Success)
        {
            return 0;
        }

        if (propertiesContent == 0 && lengthOptional)
        {
            return 1;
        }

        return 1 + MqttVariableByteInteger.GetSize(propertiesContent) + propertiesContent;
    }

    private static void WriteReasonAndProperties(
        ref MqttSpanWriter w, MqttReasonCode code, MqttProperties? properties, MqttProtocolVersion version, bool lengthOptional)
    {
        var size = GetReasonAndPropertiesSize(code, properties, version, lengthOptional);
        if (size >= 1)
        {
            w.WriteByte((byte)code);
        }

        if (size > 1)
        {
            WriteProperties(ref w, properties);
        }
    }
}

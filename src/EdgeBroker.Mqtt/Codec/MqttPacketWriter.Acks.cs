namespace EdgeBroker.Mqtt.Codec;

/// <summary>PUBACK, PUBREC, PUBREL, PUBCOMP, DISCONNECT and AUTH: the "optional reason code, optional properties" shapes.</summary>
public static partial class MqttPacketWriter
{
    private static long GetAckSize(MqttAckPacket p, MqttProtocolVersion version) =>
        2 + GetOptionalReasonAndPropertiesSize(p.ReasonCode, p.Properties, version);

    private static void WriteAck(ref MqttSpanWriter w, MqttAckPacket p, MqttProtocolVersion version)
    {
        w.WriteUInt16(p.PacketId);
        WriteReasonAndProperties(ref w, p.ReasonCode, p.Properties, version);
    }

    private static long GetReasonAndPropertiesSize(MqttReasonCode code, MqttProperties? properties, MqttProtocolVersion version) =>
        GetOptionalReasonAndPropertiesSize(code, properties, version);

    /// <summary>
    /// v5 3.4.2.1 and siblings: the reason code is omitted when it is Success and there are no
    /// properties; the property length is omitted when there are no properties. 3.x: neither exists.
    /// </summary>
    private static int GetOptionalReasonAndPropertiesSize(MqttReasonCode code, MqttProperties? properties, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500)
        {
            return 0;
        }

        var propertiesContent = GetPropertiesContentSize(properties);
        if (propertiesContent == 0)
        {
            return code == MqttReasonCode.Success ? 0 : 1;
        }

        return 1 + MqttVariableByteInteger.GetSize(propertiesContent) + propertiesContent;
    }

    private static void WriteReasonAndProperties(ref MqttSpanWriter w, MqttReasonCode code, MqttProperties? properties, MqttProtocolVersion version)
    {
        var size = GetOptionalReasonAndPropertiesSize(code, properties, version);
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

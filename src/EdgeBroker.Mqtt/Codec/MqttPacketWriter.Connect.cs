namespace EdgeBroker.Mqtt.Codec;

/// <summary>CONNECT and CONNACK; layouts on <see cref="MqttConnectPacket"/> and <see cref="MqttConnAckPacket"/>.</summary>
public static partial class MqttPacketWriter
{
    private static long GetConnectSize(MqttConnectPacket p)
    {
        var v5 = p.ProtocolVersion == MqttProtocolVersion.V500;
        long size = (p.ProtocolVersion == MqttProtocolVersion.V310 ? 2 + 6 : 2 + 4) + 1 + 1 + 2;
        size += v5 ? GetPropertiesBlockSize(p.Properties) : 0;
        size += MqttSpanWriter.GetStringSize(p.ClientId);
        if (p.Will is { } will)
        {
            size += v5 ? GetPropertiesBlockSize(will.Properties) : 0;
            size += MqttSpanWriter.GetStringSize(will.Topic) + MqttSpanWriter.GetBinarySize(will.Payload.Span);
        }

        size += p.UserName is null ? 0 : MqttSpanWriter.GetStringSize(p.UserName);
        size += p.Password is { } password ? MqttSpanWriter.GetBinarySize(password.Span) : 0;
        return size;
    }

    private static void WriteConnect(ref MqttSpanWriter w, MqttConnectPacket p)
    {
        var v5 = p.ProtocolVersion == MqttProtocolVersion.V500;
        w.WriteBinary(p.ProtocolVersion == MqttProtocolVersion.V310 ? "MQIsdp"u8 : "MQTT"u8);
        w.WriteByte((byte)p.ProtocolVersion);

        var flags = 0;
        flags |= p.UserName is not null ? 0x80 : 0;
        flags |= p.Password is not null ? 0x40 : 0;
        if (p.Will is { } w0)
        {
            flags |= 0x04 | ((int)w0.Qos << 3) | (w0.Retain ? 0x20 : 0);
        }

        flags |= p.CleanSession ? 0x02 : 0;
        w.WriteByte((byte)flags);
        w.WriteUInt16(p.KeepAliveSeconds);
        if (v5)
        {
            WriteProperties(ref w, p.Properties);
        }

        w.WriteString(p.ClientId);
        if (p.Will is { } will)
        {
            if (v5)
            {
                WriteProperties(ref w, will.Properties);
            }

            w.WriteString(will.Topic);
            w.WriteBinary(will.Payload.Span);
        }

        if (p.UserName is not null)
        {
            w.WriteString(p.UserName);
        }

        if (p.Password is { } password)
        {
            w.WriteBinary(password.Span);
        }
    }

    private static long GetConnAckSize(MqttConnAckPacket p, MqttProtocolVersion version) =>
        2 + (version == MqttProtocolVersion.V500 ? GetPropertiesBlockSize(p.Properties) : 0);

    private static void WriteConnAck(ref MqttSpanWriter w, MqttConnAckPacket p, MqttProtocolVersion version)
    {
        // 3.1 has a reserved byte where 3.1.1 put the Session Present flag.
        w.WriteByte((byte)(p.SessionPresent && version != MqttProtocolVersion.V310 ? 0x01 : 0x00));
        if (version == MqttProtocolVersion.V500)
        {
            w.WriteByte((byte)p.ReasonCode);
            WriteProperties(ref w, p.Properties);
        }
        else
        {
            w.WriteByte(MqttConnAckPacket.ToV3ReturnCode(p.ReasonCode));
        }
    }
}

namespace EdgeBroker.Mqtt.Codec;

using System.Buffers;

/// <summary>CONNECT and CONNACK bodies; layouts on <see cref="MqttConnectPacket"/> and <see cref="MqttConnAckPacket"/>.</summary>
public static partial class MqttPacketReader
{
    private const byte UserNameFlag = 0x80;
    private const byte PasswordFlag = 0x40;
    private const byte WillRetainFlag = 0x20;
    private const byte WillQosMask = 0x18;
    private const byte WillFlag = 0x04;
    private const byte CleanSessionFlag = 0x02;
    private const byte ReservedConnectFlag = 0x01;

    private static ReadOnlySpan<byte> MqttName => "MQTT"u8;

    private static ReadOnlySpan<byte> MqIsdpName => "MQIsdp"u8;

    /// <summary>
    /// CONNECT defines its own version; the one the session passed is ignored. Any failure after
    /// the level byte carries that version (<see cref="MqttProtocolException.ProtocolVersion"/>).
    /// </summary>
    private static MqttConnectPacket ReadConnect(ref SequenceReader<byte> reader, MqttCodecLimits limits)
    {
        MqttWireReader.ReadAndMatchAscii(ref reader, MqttName, MqIsdpName, out var name);
        var level = MqttWireReader.ReadByte(ref reader);
        var version = (name, level) switch
        {
            (1, 4) => MqttProtocolVersion.V311,
            (1, 5) => MqttProtocolVersion.V500,
            (2, 3) => MqttProtocolVersion.V310,
            _ => MqttProtocolVersion.Unknown,
        };
        if (version == MqttProtocolVersion.Unknown)
        {
            // [MQTT-3.1.2-1]/[MQTT-3.1.2-2]: the session answers CONNACK 0x01 (3.x) or 0x84 (v5), then closes.
            throw new MqttProtocolException(
                MqttReasonCode.UnsupportedProtocolVersion,
                $"[MQTT-3.1.2-2] unsupported protocol name/level (level {level}).")
            {
                ProtocolVersion = level == 5 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311,
            };
        }

        try
        {
            return ReadConnectAfterLevel(ref reader, version, limits);
        }
        catch (MqttProtocolException ex) when (ex.ProtocolVersion == MqttProtocolVersion.Unknown)
        {
            ex.ProtocolVersion = version;
            throw;
        }
    }

    private static MqttConnectPacket ReadConnectAfterLevel(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var v5 = version == MqttProtocolVersion.V500;
        var flags = MqttWireReader.ReadByte(ref reader);
        CheckConnectFlags(flags, version);

        var keepAlive = MqttWireReader.ReadUInt16(ref reader);
        var properties = v5 ? ReadProperties(ref reader, MqttPropertyContext.Connect, limits) : null;
        var clientId = MqttWireReader.ReadString(ref reader);

        MqttWillMessage? will = null;
        if ((flags & WillFlag) != 0)
        {
            var willProperties = v5 ? ReadProperties(ref reader, MqttPropertyContext.Will, limits) : null;
            var willTopic = MqttWireReader.ReadString(ref reader);
            CheckTopicName(willTopic, "Will");
            will = new MqttWillMessage
            {
                Topic = willTopic,
                Payload = MqttWireReader.ReadBinary(ref reader),
                Qos = (MqttQos)((flags & WillQosMask) >> 3),
                Retain = (flags & WillRetainFlag) != 0,
                Properties = willProperties,
            };
        }

        var userName = (flags & UserNameFlag) != 0 ? MqttWireReader.ReadString(ref reader) : null;
        ReadOnlyMemory<byte>? password = null;
        if ((flags & PasswordFlag) != 0)
        {
            password = MqttWireReader.ReadBinary(ref reader);
        }

        MqttWireReader.EnsureEnd(ref reader, "CONNECT");

        return new MqttConnectPacket
        {
            ProtocolVersion = version,
            CleanSession = (flags & CleanSessionFlag) != 0,
            KeepAliveSeconds = keepAlive,
            ClientId = clientId,
            Will = will,
            UserName = userName,
            Password = password,
            Properties = properties,
        };
    }

    private static void CheckConnectFlags(byte flags, MqttProtocolVersion version)
    {
        // [MQTT-3.1.2-3] the reserved flag must be 0.
        if ((flags & ReservedConnectFlag) != 0)
        {
            throw MqttProtocolException.Malformed("[MQTT-3.1.2-3] reserved CONNECT flag is set.");
        }

        var willQos = (flags & WillQosMask) >> 3;
        if ((flags & WillFlag) == 0)
        {
            // [MQTT-3.1.2-11] Will QoS 0 and [MQTT-3.1.2-13] Will Retain 0 without a Will
            // (3.1.1 numbers them -13 and -15).
            if (willQos != 0 || (flags & WillRetainFlag) != 0)
            {
                throw MqttProtocolException.Malformed("[MQTT-3.1.2-11] Will QoS/Retain set without the Will flag.");
            }
        }
        else if (willQos == 3)
        {
            // [MQTT-3.1.2-12] (3.1.1: -14) Will QoS must not be 3.
            throw MqttProtocolException.Malformed("[MQTT-3.1.2-12] Will QoS 3.");
        }

        // [MQTT-3.1.2-22] (3.1.1, and 3.1) a password requires a user name; v5 allows it alone.
        if (version != MqttProtocolVersion.V500 && (flags & PasswordFlag) != 0 && (flags & UserNameFlag) == 0)
        {
            throw MqttProtocolException.Malformed("[MQTT-3.1.2-22] password flag set without user name flag.");
        }
    }

    private static MqttConnAckPacket ReadConnAck(ref SequenceReader<byte> reader, MqttProtocolVersion version, MqttCodecLimits limits)
    {
        var ackFlags = MqttWireReader.ReadByte(ref reader);

        // [MQTT-3.2.2-1] bits 7-1 are reserved (3.1 has no flags byte, only a reserved byte).
        if (version != MqttProtocolVersion.V310 && (ackFlags & 0xFE) != 0)
        {
            throw MqttProtocolException.Malformed("[MQTT-3.2.2-1] reserved CONNACK acknowledge flags are set.");
        }

        var code = MqttWireReader.ReadByte(ref reader);
        MqttReasonCode reasonCode;
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500)
        {
            CheckReasonCode(MqttPacketType.ConnAck, version, code);
            reasonCode = (MqttReasonCode)code;
            properties = ReadProperties(ref reader, MqttPropertyContext.ConnAck, limits);
        }
        else if (!MqttConnAckPacket.TryFromV3ReturnCode(code, out reasonCode))
        {
            throw MqttProtocolException.ProtocolViolation($"CONNACK return code {code} is reserved.");
        }

        MqttWireReader.EnsureEnd(ref reader, "CONNACK");
        return new MqttConnAckPacket
        {
            SessionPresent = version != MqttProtocolVersion.V310 && (ackFlags & 0x01) != 0,
            ReasonCode = reasonCode,
            Properties = properties,
        };
    }
}

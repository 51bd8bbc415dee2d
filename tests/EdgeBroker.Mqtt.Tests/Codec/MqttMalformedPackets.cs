namespace EdgeBroker.Mqtt.Tests.Codec;

using V = EdgeBroker.Mqtt.Codec.MqttProtocolVersion;
using R = EdgeBroker.Mqtt.Codec.MqttReasonCode;

/// <summary>
/// The malformed-input table: complete byte vectors, the version they are read under, the exact
/// reason code expected, and the spec statement (or section) the rule comes from. Rows marked
/// "regression" are counterexamples found by <see cref="MqttCodecFuzzTests"/> and kept here.
/// Shared: the codec tests read each row directly, and the interop project links this file to send
/// every row to the real server process (tests/EdgeBroker.Interop.Tests/Faults/MqttBadInputTests.cs).
/// </summary>
public static class MqttMalformedPackets
{
    // CONNECT 3.1.1 prefix: name "MQTT", level 4; flags and the rest follow.
    public const string Connect4 = "00 04 4D 51 54 54 04";
    public const string Connect5 = "00 04 4D 51 54 54 05";

    public static TheoryData<string, V, R, string> Rows() => new()
    {
        // Fixed header: type, flags, remaining length.
        { "00 00", V.V311, R.MalformedPacket, "MQTT-2.1.2 reserved type 0" },
        { "F0 00", V.V311, R.MalformedPacket, "MQTT-2.1.2 AUTH is reserved in 3.1.1" },
        { "60 02 00 01", V.V311, R.MalformedPacket, "MQTT-2.1.3-1 PUBREL flags 0000" },
        { "80 06 00 01 00 01 61 00", V.V311, R.MalformedPacket, "MQTT-2.1.3-1 SUBSCRIBE flags 0000" },
        { "A0 05 00 01 00 01 61", V.V311, R.MalformedPacket, "MQTT-2.1.3-1 UNSUBSCRIBE flags 0000" },
        { "41 02 00 01", V.V500, R.MalformedPacket, "MQTT-2.1.3-1 PUBACK flags 0001" },
        { "C1 00", V.V311, R.MalformedPacket, "MQTT-2.1.3-1 PINGREQ flags 0001" },
        { "30 FF FF FF FF 7F", V.V311, R.MalformedPacket, "MQTT-2.2.3 remaining length over 4 bytes" },
        { "C0 80 00", V.V500, R.MalformedPacket, "MQTT-1.5.5-1 non-minimal remaining length" },
        { "30 83 00 00 01 61 00", V.V500, R.MalformedPacket, "MQTT-1.5.5-1 non-minimal remaining length" },
        { "C0 01 00", V.V311, R.MalformedPacket, "MQTT-3.12.1 PINGREQ with a body" },
        { "20 03 00 00 00", V.V311, R.MalformedPacket, "MQTT-3.2.1 3.1.1 CONNACK length 3" },
        { "E0 01 00", V.V311, R.MalformedPacket, "MQTT-3.14.1 3.1.1 DISCONNECT with a body" },
        { "C0 00", V.Unknown, R.ProtocolError, "MQTT-3.1.0-1 first packet is not CONNECT" },
        { "30 80 80 80 64", V.V311, R.PacketTooLarge, "limit: 200 MB declared" },

        // PUBLISH.
        { "36 05 00 01 61 00 01", V.V311, R.MalformedPacket, "MQTT-3.3.1-4 QoS 3" },
        { "38 03 00 01 61", V.V311, R.ProtocolError, "MQTT-3.3.1-2 DUP with QoS 0" },
        { "38 04 00 01 61 00", V.V500, R.MalformedPacket, "MQTT-3.3.1-2 DUP with QoS 0 (v5)" },
        { "32 05 00 01 61 00 00", V.V311, R.ProtocolError, "MQTT-2.2.1-3 PUBLISH QoS 1 packet id 0" },
        { "30 03 00 05 61", V.V311, R.MalformedPacket, "MQTT-1.5.4 topic longer than the packet" },
        { "30 05 00 03 61 2F 2B", V.V311, R.TopicNameInvalid, "MQTT-3.3.2-2 '+' in topic name" },
        { "30 05 00 02 61 23 00", V.V500, R.TopicNameInvalid, "MQTT-3.3.2-2 '#' in topic name" },
        { "30 02 00 00", V.V311, R.TopicNameInvalid, "MQTT-4.7.3-1 empty topic name" },
        { "30 03 00 00 00", V.V500, R.ProtocolError, "MQTT-3.3.2.3.4 empty topic without Topic Alias" },
        { "30 07 00 01 61 03 23 00 00", V.V500, R.TopicAliasInvalid, "MQTT-3.3.2-8 Topic Alias 0" },

        // UTF-8 strings.
        { "30 04 00 02 C3 28", V.V311, R.MalformedPacket, "MQTT-1.5.4-1 ill-formed UTF-8" },
        { "30 05 00 03 ED A0 80", V.V311, R.MalformedPacket, "MQTT-1.5.4-1 encoded surrogate U+D800" },
        { "30 04 00 02 C0 80", V.V311, R.MalformedPacket, "MQTT-1.5.4-1 overlong NUL" },
        { "30 05 00 03 61 00 62", V.V311, R.MalformedPacket, "MQTT-1.5.4-2 U+0000 in topic" },

        // v5 properties.
        { "30 0E 00 01 61 0A 02 00 00 00 01 02 00 00 00 02", V.V500, R.ProtocolError, "MQTT-2.2.2 duplicate Message Expiry Interval" },
        { "30 09 00 01 61 05 11 00 00 00 01", V.V500, R.ProtocolError, "MQTT-2.2.2 Session Expiry Interval in PUBLISH" },
        { "30 06 00 01 61 02 7F 00", V.V500, R.MalformedPacket, "MQTT-2.2.2 unknown property 0x7F" },
        { "30 05 00 01 61 05 01", V.V500, R.MalformedPacket, "MQTT-2.2.2 property length past the end" },
        { "30 06 00 01 61 02 01 02", V.V500, R.ProtocolError, "MQTT-3.3.2.3.2 Payload Format Indicator 2" },
        { "30 08 00 01 61 04 08 00 01 23", V.V500, R.ProtocolError, "MQTT-3.3.2-14 wildcard in Response Topic" },
        { "30 09 00 01 61 05 0B FF FF FF FF", V.V500, R.MalformedPacket, "MQTT-1.5.5 property VBI over 4 bytes" },
        { "82 09 00 01 02 0B 00 00 01 61 00", V.V500, R.ProtocolError, "MQTT-3.8.2.1.2 Subscription Identifier 0" },
        { "82 0B 00 01 04 0B 01 0B 02 00 01 61 00", V.V500, R.ProtocolError, "MQTT-3.8.2.1.2 two Subscription Identifiers in SUBSCRIBE" },
        { "E0 05 00 03 23 00 01", V.V500, R.ProtocolError, "MQTT-3.14.2.2 Topic Alias in DISCONNECT" },
        { $"10 10 {Connect5} 02 00 3C 03 21 00 00 00 00", V.Unknown, R.ProtocolError, "MQTT-3.1.2.11.3 Receive Maximum 0" },
        { $"10 12 {Connect5} 02 00 3C 05 16 00 02 AA BB 00 00", V.Unknown, R.ProtocolError, "MQTT-3.1.2.11.10 Authentication Data without Method" },

        // Acks and reason codes.
        { "40 02 00 00", V.V311, R.ProtocolError, "MQTT-2.2.1-3 PUBACK packet id 0" },
        { "40 05 00 01 00 00 FF", V.V500, R.MalformedPacket, "MQTT-3.4.2 trailing byte after properties" },
        { "40 03 00 01 05", V.V500, R.ProtocolError, "MQTT-3.4.2.1 reason code 0x05 not defined for PUBACK" },
        { "F0 02 01 00", V.V500, R.ProtocolError, "MQTT-3.15.2.1 AUTH reason 0x01" },
        { "20 02 02 00", V.V311, R.MalformedPacket, "MQTT-3.2.2-1 reserved CONNACK flags" },
        { "20 02 00 06", V.V311, R.ProtocolError, "MQTT-3.2.2.3 reserved return code 6" },
        { "90 03 00 01 03", V.V311, R.ProtocolError, "MQTT-3.9.3 SUBACK code 0x03" },
        { "90 03 00 01 80", V.V310, R.ProtocolError, "MQTT-3.9.3 no Failure code in 3.1" },
        { "90 03 00 01 00", V.V500, R.ProtocolError, "MQTT-3.9.3 v5 SUBACK without reason codes" },

        // CONNECT.
        { $"10 0C {Connect4[..^3]} 06 02 00 3C 00 00", V.Unknown, R.UnsupportedProtocolVersion, "MQTT-3.1.2-2 level 6" },
        { "10 0C 00 04 4D 51 54 58 04 02 00 3C 00 00", V.Unknown, R.UnsupportedProtocolVersion, "MQTT-3.1.2-1 protocol name MQTX" },
        { "10 0E 00 06 4D 51 49 73 64 70 04 02 00 3C 00 00", V.Unknown, R.UnsupportedProtocolVersion, "MQTT-3.1.2-2 MQIsdp with level 4" },
        { $"10 0C {Connect4} 03 00 3C 00 00", V.Unknown, R.MalformedPacket, "MQTT-3.1.2-3 reserved connect flag" },
        { $"10 0C {Connect4} 0A 00 3C 00 00", V.Unknown, R.MalformedPacket, "MQTT-3.1.2-11 Will QoS without Will flag" },
        { $"10 0C {Connect4} 22 00 3C 00 00", V.Unknown, R.MalformedPacket, "MQTT-3.1.2-13 Will Retain without Will flag" },
        { $"10 0C {Connect4} 1E 00 3C 00 00", V.Unknown, R.MalformedPacket, "MQTT-3.1.2-12 Will QoS 3" },
        { $"10 0C {Connect4} 42 00 3C 00 00", V.Unknown, R.MalformedPacket, "MQTT-3.1.2-22 password without user name" },
        { $"10 0D {Connect4} 02 00 3C 00 00 FF", V.Unknown, R.MalformedPacket, "MQTT-3.1.3 trailing byte after the payload" },
        { $"10 11 {Connect4} 06 00 3C 00 00 00 01 23 00 00", V.Unknown, R.TopicNameInvalid, "MQTT-3.1.3.3 wildcard in Will topic" },

        // SUBSCRIBE / UNSUBSCRIBE.
        { "82 06 00 00 00 01 61 00", V.V311, R.ProtocolError, "MQTT-2.2.1-3 SUBSCRIBE packet id 0" },
        { "82 02 00 01", V.V311, R.ProtocolError, "MQTT-3.8.3-3 SUBSCRIBE without filters" },
        { "82 06 00 01 00 01 61 04", V.V311, R.MalformedPacket, "MQTT-3-8.3-4 reserved option bits (3.1.1)" },
        { "82 06 00 01 00 01 61 03", V.V311, R.MalformedPacket, "MQTT-3-8.3-4 subscription QoS 3" },
        { "82 07 00 01 00 00 01 61 40", V.V500, R.MalformedPacket, "MQTT-3.8.3-5 reserved option bits (v5)" },
        { "82 07 00 01 00 00 01 61 30", V.V500, R.ProtocolError, "MQTT-3.8.3.1 retain handling 3" },
        { "A2 02 00 01", V.V311, R.ProtocolError, "MQTT-3.10.3-2 UNSUBSCRIBE without filters" },
    };
}

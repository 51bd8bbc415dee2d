namespace EdgeBroker.Interop.Tests.Faults;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;
using EdgeBroker.Mqtt.Tests.Codec;

/// <summary>What the broker must answer to a bad MQTT vector before it closes the socket.</summary>
public enum MqttReactionKind
{
    /// <summary>CONNACK with the code (a v5 reason code, or a 3.x return code), then close.</summary>
    ConnAck = 0,

    /// <summary>v5 DISCONNECT with the reason code, then close.</summary>
    Disconnect = 1,

    /// <summary>Plain close, nothing sent (3.x after CONNECT, or before the version is known).</summary>
    Close = 2,
}

/// <summary>
/// One bad-input vector for the real server: the protocol level to CONNECT with first (0 = send the vector as the
/// first bytes), the raw bytes, and the expected reaction.
/// </summary>
public sealed record MqttBadInput(string Name, int ConnectLevel, byte[] Bytes, MqttReactionKind Reaction, byte Code = 0)
{
    public override string ToString() => Name;

    /// <summary>
    /// The codec's malformed-packet table (shared file) lifted to the server: a row read after CONNECT is sent on a
    /// connection of that version, and the server must answer v5 with DISCONNECT carrying the row's reason code and
    /// close 3.x silently. A row read before CONNECT gets CONNACK with the reason when the packet already named v5
    /// (and a 3.x CONNACK return code for an unsupported level), otherwise a plain close (STYLE.md #5).
    /// </summary>
    public static IEnumerable<MqttBadInput> FromCodecTable()
    {
        foreach (var row in MqttMalformedPackets.Rows())
        {
            var hex = (string)row[0];
            var version = (MqttProtocolVersion)row[1];
            var code = (MqttReasonCode)row[2];
            var name = (string)row[3] + " [" + version + "]";
            var bytes = Hex.Parse(hex);
            yield return version switch
            {
                MqttProtocolVersion.V500 => new MqttBadInput(name, 5, bytes, MqttReactionKind.Disconnect, (byte)code),
                MqttProtocolVersion.V311 => new MqttBadInput(name, 4, bytes, MqttReactionKind.Close),
                MqttProtocolVersion.V310 => new MqttBadInput(name, 3, bytes, MqttReactionKind.Close),
                _ => PreConnect(name, bytes, code),
            };
        }
    }

    /// <summary>Vectors whose reaction depends on the session rather than the codec alone, plus size limits of the real process.</summary>
    public static IEnumerable<MqttBadInput> ServerTable()
    {
        const byte ProtocolError = 0x82;
        yield return new("MQTT-3.1.0-2 second CONNECT (v5)", 5, RawMqtt.Connect("again", 5), MqttReactionKind.Disconnect, ProtocolError);
        yield return new("MQTT-3.1.0-2 second CONNECT (3.1.1)", 4, RawMqtt.Connect("again", 4), MqttReactionKind.Close);
        yield return new("MQTT-3.1.0-1 PUBLISH before CONNECT", 0, Hex.Parse("30 03 00 01 61"), MqttReactionKind.Close);
        yield return new("MQTT-3.1.0-1 SUBSCRIBE before CONNECT", 0, RawMqtt.Subscribe("a", 1, 0), MqttReactionKind.Close);
        yield return new("MQTT-3.3.2-9 topic alias above Topic Alias Maximum 16", 5, Hex.Parse("30 07 00 01 61 03 23 00 11"), MqttReactionKind.Disconnect, 0x94);
        yield return new("MQTT-3.3.2-12 topic alias not mapped yet", 5, Hex.Parse("30 06 00 00 03 23 00 05"), MqttReactionKind.Disconnect, ProtocolError);
        yield return new("MQTT-3.3.4-6 Subscription Identifier from a client", 5, Hex.Parse("30 06 00 01 61 02 0B 01"), MqttReactionKind.Disconnect, ProtocolError);
        yield return new("MQTT-4.12.0-1 AUTH without an authentication method", 5, Hex.Parse("F0 00"), MqttReactionKind.Disconnect, ProtocolError);
        yield return new("SUBACK sent by a client", 5, Hex.Parse("90 04 00 01 00 00"), MqttReactionKind.Disconnect, ProtocolError);
        yield return new("MQTT-3.3.2-13 payload not UTF-8 although the format indicator says so", 5, Hex.Parse("30 08 00 01 61 02 01 01 C3 28"), MqttReactionKind.Disconnect, 0x99);
        yield return new("MQTT-3.3.1-4 QoS 3 (v5)", 5, Hex.Parse("36 04 00 01 61 00"), MqttReactionKind.Disconnect, 0x81);
        yield return new("MQTT-2.2.1-3 PUBLISH QoS 1 packet id 0 (v5)", 5, Hex.Parse("32 06 00 01 61 00 00 00"), MqttReactionKind.Disconnect, ProtocolError);
        yield return new("MQTT-1.5.4-2 U+0000 in topic (v5)", 5, Hex.Parse("30 06 00 03 61 00 62 00"), MqttReactionKind.Disconnect, 0x81);
        yield return new("MQTT-3.3.2-2 '+' in PUBLISH topic (v5)", 5, Hex.Parse("30 06 00 03 61 2F 2B 00"), MqttReactionKind.Disconnect, 0x90);
        yield return new("MQTT-3.3.1-2 DUP with QoS 0 (3.1.1)", 4, Hex.Parse("38 03 00 01 61"), MqttReactionKind.Close);

        // Limits: a declared length over the limit is refused from the fixed header, before any body arrives.
        yield return new("declared 2 MiB over the 1 MiB packet limit (v5)", 5, Hex.Parse("30 80 80 80 01"), MqttReactionKind.Disconnect, 0x95);
        yield return new("declared 256 MiB, the protocol maximum (3.1.1)", 4, Hex.Parse("30 FF FF FF 7F"), MqttReactionKind.Close);
        yield return new("declared 64 KiB CONNECT over the pre-CONNECT cap", 0, Hex.Parse("10 80 80 04"), MqttReactionKind.Close);
        yield return new("oversize PUBLISH actually sent (v5)", 5, RawMqtt.Publish("big", new string('x', (1024 * 1024) + 16)), MqttReactionKind.Disconnect, 0x95);
        yield return new("oversize CONNECT actually sent before CONNECT", 0, RawMqtt.Frame(0x10, new byte[70_000]), MqttReactionKind.Close);
    }

    private static MqttBadInput PreConnect(string name, byte[] bytes, MqttReasonCode code)
    {
        // The codec tells which CONNACK format the packet asked for (ProtocolVersion of the exception); the
        // codec tests pin that, here it only picks the answer format the server must use.
        MqttProtocolVersion asked;
        try
        {
            var buffer = new ReadOnlySequence<byte>(bytes);
            MqttPacketReader.TryRead(ref buffer, MqttProtocolVersion.Unknown, MqttCodecLimits.PreConnect, out _, out _);
            throw new InvalidOperationException($"{name}: the codec accepted a table row");
        }
        catch (MqttProtocolException ex)
        {
            asked = ex.ProtocolVersion;
        }

        return asked switch
        {
            MqttProtocolVersion.V500 => new MqttBadInput(name, 0, bytes, MqttReactionKind.ConnAck, (byte)code),
            MqttProtocolVersion.V311 or MqttProtocolVersion.V310 when code == MqttReasonCode.UnsupportedProtocolVersion => new MqttBadInput(name, 0, bytes, MqttReactionKind.ConnAck, 0x01),
            MqttProtocolVersion.V311 or MqttProtocolVersion.V310 when code == MqttReasonCode.ClientIdentifierNotValid => new MqttBadInput(name, 0, bytes, MqttReactionKind.ConnAck, 0x02),
            _ => new MqttBadInput(name, 0, bytes, MqttReactionKind.Close),
        };
    }
}

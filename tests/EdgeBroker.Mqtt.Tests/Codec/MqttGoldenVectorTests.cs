namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;

/// <summary>Byte vectors written by hand from the examples and layouts of the MQTT 3.1.1 and 5.0
/// specifications, checked in both directions.</summary>
[Trait("Category", "Conformance")]
public sealed class MqttGoldenVectorTests
{
    [Theory]
    [Trait("Spec", "MQTT-1.5.5")]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void VariableByteIntegerMatchesTheSpecTable(int value, string hex)
    {
        var buffer = new byte[4];
        var size = MqttVariableByteInteger.Write(buffer, value);

        Assert.Equal(hex, Hex.Format(buffer.AsSpan(0, size)));
        Assert.Equal(size, MqttVariableByteInteger.GetSize(value));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2")]
    public void V311ConnectWithWillUserAndPassword()
    {
        // flags CE = user name, password, will QoS 1, will, clean session; keep alive 10.
        const string hex = "10 1A 0004 4D515454 04 CE 000A 0002 6331 0001 77 0001 78 0001 75 0001 70";
        var expected = new MqttConnectPacket
        {
            ProtocolVersion = MqttProtocolVersion.V311,
            CleanSession = true,
            KeepAliveSeconds = 10,
            ClientId = "c1",
            Will = new MqttWillMessage { Topic = "w", Payload = "x"u8.ToArray(), Qos = MqttQos.AtLeastOnce },
            UserName = "u",
            Password = "p"u8.ToArray(),
        };

        AssertBothDirections(hex, expected, MqttProtocolVersion.Unknown, MqttProtocolVersion.V311);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2")]
    public void V5ConnectVariableHeaderExample()
    {
        // Spec 3.1.2.11 example: version 5, flags C2, keep alive 10, Session Expiry Interval 10.
        const string hex = "10 19 0004 4D515454 05 C2 000A 05 11 0000000A 0001 63 0001 75 0001 70";
        var decoded = Assert.IsType<MqttConnectPacket>(MqttCodec.DecodeSingle(Hex.Parse(hex), MqttProtocolVersion.Unknown));

        Assert.Equal(MqttProtocolVersion.V500, decoded.ProtocolVersion);
        Assert.True(decoded.CleanSession);
        Assert.Equal(10, decoded.KeepAliveSeconds);
        Assert.Equal(10u, decoded.Properties!.SessionExpiryInterval);
        Assert.Equal("c", decoded.ClientId);
        Assert.Equal("u", decoded.UserName);
        Assert.Equal(Hex.Parse(hex), MqttCodec.Encode(decoded, MqttProtocolVersion.V500));
        AssertSameAtEverySplit(Hex.Parse(hex), MqttProtocolVersion.Unknown, MqttProtocolVersion.V500);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.1.2")]
    public void V31ConnectUsesMQIsdp()
    {
        const string hex = "10 10 0006 4D5149736470 03 02 003C 0002 6331";
        var expected = new MqttConnectPacket { ProtocolVersion = MqttProtocolVersion.V310, CleanSession = true, KeepAliveSeconds = 60, ClientId = "c1" };

        AssertBothDirections(hex, expected, MqttProtocolVersion.Unknown, MqttProtocolVersion.V310);
    }

    [Theory]
    [InlineData("20 02 00 00", MqttProtocolVersion.V311)]
    [InlineData("20 02 01 00", MqttProtocolVersion.V311)]
    [InlineData("20 03 00 00 00", MqttProtocolVersion.V500)]
    [InlineData("20 03 00 8A 00", MqttProtocolVersion.V500)]
    [InlineData("C0 00", MqttProtocolVersion.V311)]
    [InlineData("D0 00", MqttProtocolVersion.V500)]
    [InlineData("E0 00", MqttProtocolVersion.V311)]
    [InlineData("E0 00", MqttProtocolVersion.V500)]
    [InlineData("40 02 00 0A", MqttProtocolVersion.V500)]
    [InlineData("62 02 00 0A", MqttProtocolVersion.V311)]
    [InlineData("F0 00", MqttProtocolVersion.V500)]
    public void ShortPacketsRoundTripExactly(string hex, MqttProtocolVersion version)
    {
        var decoded = MqttCodec.DecodeSingle(Hex.Parse(hex), version);

        Assert.Equal(Hex.Format(Hex.Parse(hex)), MqttCodec.Canonical(decoded, version));
        AssertSameAtEverySplit(Hex.Parse(hex), version, version);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.2")]
    public void PublishQos1WithPacketId10()
    {
        const string hex = "32 09 0003 612F62 000A 6869";
        var expected = new MqttPublishPacket
        {
            Topic = "a/b",
            Qos = MqttQos.AtLeastOnce,
            PacketId = 10,
            Payload = new ReadOnlySequence<byte>("hi"u8.ToArray()),
        };

        AssertBothDirections(hex, expected, MqttProtocolVersion.V311, MqttProtocolVersion.V311);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.2.3")]
    public void V5PublishWithPropertiesInIdentifierOrder()
    {
        // Payload Format Indicator 1 · Topic Alias 5 · User Property ("k", "v"); payload "hi".
        const string hex = "32 14 0001 61 0001 0C 01 01 23 0005 26 0001 6B 0001 76 6869";
        var expected = new MqttPublishPacket
        {
            Topic = "a",
            Qos = MqttQos.AtLeastOnce,
            PacketId = 1,
            Payload = new ReadOnlySequence<byte>("hi"u8.ToArray()),
            Properties = new MqttProperties
            {
                PayloadFormatIndicator = MqttPayloadFormatIndicator.Utf8,
                TopicAlias = 5,
                UserProperties = [new MqttUserProperty("k", "v")],
            },
        };

        AssertBothDirections(hex, expected, MqttProtocolVersion.V500, MqttProtocolVersion.V500);
    }

    [Fact]
    [Trait("Spec", "MQTT-1.5.4")]
    public void Utf8StringExampleWithASupplementaryCharacter()
    {
        // Spec 1.5.4 example: "A" followed by U+2A6D4 is 00 05 41 F0 AA 9B 94.
        var p = Assert.IsType<MqttPublishPacket>(MqttCodec.DecodeSingle(Hex.Parse("30 07 0005 41F0AA9B94"), MqttProtocolVersion.V311));

        Assert.Equal("A\U0002A6D4", p.Topic);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.8.3")]
    public void SubscribeAndSubAckExamples()
    {
        var subscribe = new MqttSubscribePacket
        {
            PacketId = 10,
            Subscriptions = [new MqttSubscription { TopicFilter = "a/b", Qos = MqttQos.AtLeastOnce }, new MqttSubscription { TopicFilter = "c/d", Qos = MqttQos.ExactlyOnce }],
        };
        AssertBothDirections("82 0E 000A 0003 612F62 01 0003 632F64 02", subscribe, MqttProtocolVersion.V311, MqttProtocolVersion.V311);

        var subAck = new MqttSubAckPacket { PacketId = 10, ReasonCodes = [MqttReasonCode.Success, MqttReasonCode.GrantedQos2, MqttReasonCode.UnspecifiedError] };
        AssertBothDirections("90 05 000A 00 02 80", subAck, MqttProtocolVersion.V311, MqttProtocolVersion.V311);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.4.2")]
    public void V5AckOmitsSuccessReasonAndEmptyProperties()
    {
        Assert.Equal("4002000A", Hex.Format(MqttCodec.Encode(new MqttPubAckPacket { PacketId = 10 }, MqttProtocolVersion.V500)));
        Assert.Equal("4003000A10", Hex.Format(MqttCodec.Encode(new MqttPubAckPacket { PacketId = 10, ReasonCode = MqttReasonCode.NoMatchingSubscribers }, MqttProtocolVersion.V500)));

        var withoutProperties = Assert.IsType<MqttPubAckPacket>(MqttCodec.DecodeSingle(Hex.Parse("40 03 000A 97"), MqttProtocolVersion.V500));
        Assert.Equal(MqttReasonCode.QuotaExceeded, withoutProperties.ReasonCode);
        Assert.Null(withoutProperties.Properties);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.15.2")]
    public void AuthKeepsThePropertyLengthWhenTheReasonIsNotSuccess()
    {
        var reAuth = new MqttAuthPacket { ReasonCode = MqttReasonCode.ReAuthenticate };

        Assert.Equal("F0021900", Hex.Format(MqttCodec.Encode(reAuth, MqttProtocolVersion.V500)));
        Assert.Equal("E0018E", Hex.Format(MqttCodec.Encode(new MqttDisconnectPacket { ReasonCode = MqttReasonCode.SessionTakenOver }, MqttProtocolVersion.V500)));
    }

    private static void AssertBothDirections(string hex, MqttPacket expected, MqttProtocolVersion readVersion, MqttProtocolVersion writeVersion)
    {
        var bytes = Hex.Parse(hex);
        Assert.Equal(Hex.Format(bytes), Hex.Format(MqttCodec.Encode(expected, writeVersion)));

        var decoded = MqttCodec.DecodeSingle(bytes, readVersion);
        Assert.Equal(Hex.Format(bytes), MqttCodec.Canonical(decoded, writeVersion));
        AssertSameAtEverySplit(bytes, readVersion, writeVersion);
    }

    /// <summary>Golden vectors are valid packets too: every split and one byte per segment.</summary>
    private static void AssertSameAtEverySplit(byte[] bytes, MqttProtocolVersion readVersion, MqttProtocolVersion writeVersion)
    {
        for (var split = 0; split <= bytes.Length; split++)
        {
            var decoded = MqttCodec.DecodeSingle(SegmentedSequence.Create(bytes, split), readVersion);
            Assert.Equal(Hex.Format(bytes), MqttCodec.Canonical(decoded, writeVersion));
        }

        var perByte = MqttCodec.DecodeSingle(SegmentedSequence.OneBytePerSegment(bytes), readVersion);
        Assert.Equal(Hex.Format(bytes), MqttCodec.Canonical(perByte, writeVersion));
    }
}

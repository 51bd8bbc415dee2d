namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;
using V = EdgeBroker.Mqtt.Codec.MqttProtocolVersion;
using R = EdgeBroker.Mqtt.Codec.MqttReasonCode;

/// <summary>
/// Reads every row of <see cref="MqttMalformedPackets"/> with the codec and checks the exact reason code.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class MqttMalformedPacketTests
{
    [Theory]
    [MemberData(nameof(MqttMalformedPackets.Rows), MemberType = typeof(MqttMalformedPackets))]
    public void RejectsWithTheExactReasonCode(string hex, V version, R expected, string spec)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Read(new ReadOnlySequence<byte>(Hex.Parse(hex)), version));

        Assert.True(expected == ex.ReasonCode, $"{spec}: expected {expected}, got {ex.ReasonCode} ({ex.Message})");
    }

    [Theory]
    [MemberData(nameof(MqttMalformedPackets.Rows), MemberType = typeof(MqttMalformedPackets))]
    public void RejectsTheSameWayWhenEveryByteIsItsOwnSegment(string hex, V version, R expected, string spec)
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Read(SegmentedSequence.OneBytePerSegment(Hex.Parse(hex)), version));

        Assert.True(expected == ex.ReasonCode, $"{spec}: expected {expected}, got {ex.ReasonCode} ({ex.Message})");
    }

    [Fact]
    public void TableHasAtLeastThirtyRows() => Assert.True(MqttMalformedPackets.Rows().Count >= 30);

    [Fact]
    [Trait("Spec", "MQTT-3.1.2-2")]
    public void UnsupportedLevelTellsTheSessionWhichConnAckFormatToUse()
    {
        var v3 = Assert.Throws<MqttProtocolException>(() => Read(new(Hex.Parse($"10 0C {MqttMalformedPackets.Connect4[..^3]} 06 02 00 3C 00 00")), V.Unknown));
        var v5 = Assert.Throws<MqttProtocolException>(() => Read(new(Hex.Parse("10 0E 00 06 4D 51 49 73 64 70 05 02 00 3C 00 00")), V.Unknown));

        Assert.Equal(V.V311, v3.ProtocolVersion);
        Assert.Equal(V.V500, v5.ProtocolVersion);
    }

    [Fact]
    public void ConnectErrorsAfterTheLevelCarryTheDeclaredVersion()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Read(new(Hex.Parse($"10 10 {MqttMalformedPackets.Connect5} 02 00 3C 03 21 00 00 00 00")), V.Unknown));

        Assert.Equal(R.ProtocolError, ex.ReasonCode);
        Assert.Equal(V.V500, ex.ProtocolVersion);
    }

    [Fact]
    public void ErrorsOutsideConnectCarryTheSessionVersion()
    {
        var ex = Assert.Throws<MqttProtocolException>(() => Read(new(Hex.Parse("36 05 00 01 61 00 01")), V.V311));

        Assert.Equal(V.V311, ex.ProtocolVersion);
    }

    private static void Read(ReadOnlySequence<byte> buffer, V version)
    {
        var consumed = MqttPacketReader.TryRead(ref buffer, version, MqttCodecLimits.Default, out var packet, out _);
        Assert.Fail($"expected a protocol exception, got {(consumed ? packet!.PacketType.ToString() : "need more bytes")}");
    }
}

namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// Every valid sample fed byte by byte, split at every byte boundary into two segments, and cut
/// into one segment per byte must decode to the same packet (nats-server parser_test.go).
/// </summary>
[Trait("Category", "Unit")]
public sealed class MqttPacketSplitTests
{
    [Theory]
    [MemberData(nameof(MqttSamplePackets.Names), MemberType = typeof(MqttSamplePackets))]
    public void EveryProperPrefixNeedsMoreBytesAndConsumesNothing(string name)
    {
        var sample = MqttSamplePackets.Get(name);

        for (var length = 0; length < sample.Bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(sample.Bytes, 0, length);
            var before = buffer;

            Assert.False(MqttPacketReader.TryRead(ref buffer, sample.ReadVersion, MqttCodecLimits.Default, out var packet, out var consumed));
            Assert.Null(packet);
            Assert.Equal(before.Start, consumed);
            Assert.Equal(before.Length, buffer.Length);
        }
    }

    [Theory]
    [MemberData(nameof(MqttSamplePackets.Names), MemberType = typeof(MqttSamplePackets))]
    public void SplitAtEveryByteBoundaryGivesTheSamePacket(string name)
    {
        var sample = MqttSamplePackets.Get(name);
        var expected = Hex.Format(sample.Bytes);

        for (var split = 0; split <= sample.Bytes.Length; split++)
        {
            var decoded = MqttCodec.DecodeSingle(SegmentedSequence.Create(sample.Bytes, split), sample.ReadVersion);
            Assert.Equal(expected, MqttCodec.Canonical(decoded, sample.Version));
        }
    }

    [Theory]
    [MemberData(nameof(MqttSamplePackets.Names), MemberType = typeof(MqttSamplePackets))]
    public void OneSegmentPerByteGivesTheSamePacket(string name)
    {
        var sample = MqttSamplePackets.Get(name);

        var decoded = MqttCodec.DecodeSingle(SegmentedSequence.OneBytePerSegment(sample.Bytes), sample.ReadVersion);

        Assert.Equal(Hex.Format(sample.Bytes), MqttCodec.Canonical(decoded, sample.Version));
    }

    [Theory]
    [MemberData(nameof(MqttSamplePackets.Names), MemberType = typeof(MqttSamplePackets))]
    public void ByteByByteFeedLikeAPipeYieldsThePacketOnTheLastByte(string name)
    {
        var sample = MqttSamplePackets.Get(name);
        var received = new List<byte>();
        MqttPacket? result = null;

        foreach (var b in sample.Bytes)
        {
            Assert.Null(result);
            received.Add(b);
            var buffer = SegmentedSequence.OneBytePerSegment(received.ToArray());
            if (MqttPacketReader.TryRead(ref buffer, sample.ReadVersion, MqttCodecLimits.Default, out var packet, out _))
            {
                Assert.True(buffer.IsEmpty);
                result = packet;
            }
        }

        Assert.NotNull(result);
        Assert.Equal(Hex.Format(sample.Bytes), MqttCodec.Canonical(result, sample.Version));
    }
}

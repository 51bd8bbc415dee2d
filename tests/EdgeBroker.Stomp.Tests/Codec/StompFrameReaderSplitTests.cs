namespace EdgeBroker.Stomp.Tests.Codec;

/// <summary>
/// How the input is cut into reads must never change the outcome (STYLE.md "tests that cannot lie"):
/// every case is parsed contiguous, cut at every byte boundary, one byte per segment, and delivered
/// one byte per read.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class StompFrameReaderSplitTests
{
    [Theory]
    [MemberData(nameof(StompValidFrames.Names), MemberType = typeof(StompValidFrames))]
    public void ValidInputDecodesIdenticallyHoweverItIsSplit(string name)
    {
        var c = StompValidFrames.Get(name);
        AssertSplitInvariant(c.Bytes, c.Version, EdgeBroker.Stomp.Codec.StompCodecLimits.Default);
    }

    [Theory]
    [MemberData(nameof(StompMalformedFrames.Names), MemberType = typeof(StompMalformedFrames))]
    public void MalformedInputFailsIdenticallyHoweverItIsSplit(string name)
    {
        var c = StompMalformedFrames.Get(name);
        var outcome = AssertSplitInvariant(c.Bytes, c.Version, c.EffectiveLimits);
        Assert.Equal(c.Expected, outcome.Error);
    }

    internal static ParseOutcome AssertSplitInvariant(byte[] data, EdgeBroker.Stomp.Codec.StompVersion version, EdgeBroker.Stomp.Codec.StompCodecLimits limits)
    {
        var expected = StompParse.All(data, version, limits);
        for (var cut = 1; cut < data.Length; cut++)
        {
            var split = StompParse.All(SegmentedSequence.Create(data, cut), version, limits);
            Assert.True(expected.SameAs(split), $"cut at {cut}: {split} != {expected}");
        }

        var segmented = StompParse.All(SegmentedSequence.OneBytePerSegment(data), version, limits);
        Assert.True(expected.SameAs(segmented), $"one byte per segment: {segmented} != {expected}");

        var trickled = StompParse.ByteByByte(data, version, limits);
        Assert.True(expected.SameAs(trickled), $"byte by byte: {trickled} != {expected}");
        return expected;
    }
}

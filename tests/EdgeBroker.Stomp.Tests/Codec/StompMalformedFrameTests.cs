namespace EdgeBroker.Stomp.Tests.Codec;

/// <summary>The malformed table read as one contiguous buffer: each row raises exactly its error kind.</summary>
[Trait("Category", "Conformance")]
public sealed class StompMalformedFrameTests
{
    [Fact]
    public void TableHasAtLeastTwentyFiveRowsWithUniqueNames()
    {
        Assert.True(StompMalformedFrames.All.Count >= 25);
        Assert.Equal(StompMalformedFrames.All.Count, StompMalformedFrames.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(StompMalformedFrames.Names), MemberType = typeof(StompMalformedFrames))]
    public void RaisesTheExpectedErrorKind(string name)
    {
        var c = StompMalformedFrames.Get(name);
        var outcome = StompParse.All(c.Bytes, c.Version, c.EffectiveLimits);
        Assert.Equal(c.Expected, outcome.Error);
    }
}

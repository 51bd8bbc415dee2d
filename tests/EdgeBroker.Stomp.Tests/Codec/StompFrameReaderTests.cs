namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;
using EdgeBroker.Stomp.Codec;

[Trait("Category", "Unit")]
public sealed class StompFrameReaderTests
{
    private static readonly StompCodecLimits Limits = StompCodecLimits.Default;

    [Theory]
    [MemberData(nameof(StompValidFrames.Names), MemberType = typeof(StompValidFrames))]
    public void DecodesEveryValidCaseToItsExpectedFrames(string name)
    {
        var c = StompValidFrames.Get(name);
        var outcome = StompParse.All(c.Bytes, c.Version, Limits);
        Assert.Null(outcome.Error);
        Assert.Equal(c.Expected, outcome.Frames);
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-repeated-header-entries")]
    public void GetReturnsTheFirstOfRepeatedHeaders()
    {
        var frame = ReadOne("MESSAGE\nfoo:first\nfoo:second\n\n\0");
        Assert.Equal("first", frame.Get("foo"));
        Assert.Null(frame.Get("Foo"));
        Assert.Equal(2, frame.Headers.Count(h => h.Name == "foo"));
    }

    [Fact]
    public void ReturnsFalseAndLeavesTheBufferUntouchedUntilTheFrameIsComplete()
    {
        var data = StompParse.Bytes("SEND\ndestination:/a\n\nhello\0");
        for (var length = 0; length < data.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(data, 0, length);
            Assert.False(StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out var frame));
            Assert.Null(frame);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void SlicesOffExactlyOneFrameAndLeavesTheRest()
    {
        var buffer = new ReadOnlySequence<byte>(StompParse.Bytes("SEND\ndestination:/a\n\nx\0SEND\n"));
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out _));
        Assert.Equal("SEND\n", System.Text.Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void BorrowsTheBodyFromASingleSegmentAndCopiesItOnceFromSeveral()
    {
        var data = StompParse.Bytes("SEND\ndestination:/a\n\nhello\0");
        var single = new ReadOnlySequence<byte>(data);
        Assert.True(StompFrameReader.TryRead(ref single, StompVersion.V12, Limits, out var borrowed));
        Assert.True(borrowed.IsBodyBorrowed);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(borrowed.Body, out var segment));
        Assert.Same(data, segment.Array);

        var split = SegmentedSequence.Create(data, data.Length - 3);
        Assert.True(StompFrameReader.TryRead(ref split, StompVersion.V12, Limits, out var owned));
        Assert.False(owned.IsBodyBorrowed);
        Assert.Equal("hello"u8.ToArray(), owned.Body.ToArray());

        var kept = borrowed.GetOwnedBody();
        data[^2] = (byte)'X';
        Assert.Equal("hello"u8.ToArray(), kept.ToArray());
        Assert.True(owned.GetOwnedBody().Equals(owned.Body));
    }

    [Fact]
    public void ReturnsTheSharedHeartbeatFrameForLfAndCrLf()
    {
        var buffer = new ReadOnlySequence<byte>(StompParse.Bytes("\n\r\n"));
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out var lf));
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out var crlf));
        Assert.Same(StompFrame.Heartbeat, lf);
        Assert.Same(StompFrame.Heartbeat, crlf);
        Assert.True(lf.IsHeartbeat);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void WaitsOnALoneCrAtFrameStart()
    {
        var buffer = new ReadOnlySequence<byte>(StompParse.Bytes("\r"));
        Assert.False(StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out _));
        Assert.Equal(1, buffer.Length);
    }

    [Fact]
    public void ReturnsInternedStringsForKnownHeaderNames()
    {
        var frame = ReadOne("SEND\ndestination:/a\ncontent-type:text/plain\n\n\0");
        Assert.Same(StompHeaderNames.Destination, frame.Headers[0].Name);
        Assert.Same(StompHeaderNames.ContentType, frame.Headers[1].Name);
    }

    [Fact]
    public void AcceptsAFrameOfExactlyTheLimitAndRejectsOneByteMore()
    {
        var limits = new StompCodecLimits { MaxFrameBytes = 40 };
        var head = "SEND\ndestination:/a\n\n";
        var fits = head + new string('x', 40 - head.Length - 1) + "\0";
        Assert.Null(StompParse.All(StompParse.Bytes(fits), StompVersion.V12, limits).Error);
        var over = head + new string('x', 40 - head.Length) + "\0";
        Assert.Equal(StompErrorKind.FrameTooLarge, StompParse.All(StompParse.Bytes(over), StompVersion.V12, limits).Error);

        var clHead = "SEND\ncontent-length:15\n\n";
        var clFits = clHead + new string('x', 40 - clHead.Length - 1) + "\0";
        Assert.Equal(40, clFits.Length);
        Assert.Null(StompParse.All(StompParse.Bytes(clFits), StompVersion.V12, limits).Error);
        Assert.Equal(StompErrorKind.FrameTooLarge, StompParse.All(StompParse.Bytes("SEND\ncontent-length:16\n\n"), StompVersion.V12, limits).Error);
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-size-limits")]
    public void AcceptsAHeaderLineOfExactlyTheLimitAndRejectsOneByteMore()
    {
        var limits = new StompCodecLimits { MaxHeaderLineBytes = 10 };
        Assert.Null(StompParse.All(StompParse.Bytes("SEND\nk:12345678\n\n\0"), StompVersion.V12, limits).Error);
        Assert.Equal(StompErrorKind.HeaderLineTooLong, StompParse.All(StompParse.Bytes("SEND\nk:123456789\n\n\0"), StompVersion.V12, limits).Error);
        Assert.Equal(StompErrorKind.HeaderLineTooLong, StompParse.All(StompParse.Bytes("SEND\nk:123456789"), StompVersion.V12, limits).Error);
    }

    [Fact]
    public void AcceptsExactlyMaxHeaders()
    {
        var limits = new StompCodecLimits { MaxHeaders = 2 };
        Assert.Null(StompParse.All(StompParse.Bytes("SEND\na:1\nb:2\n\n\0"), StompVersion.V12, limits).Error);
        Assert.Equal(StompErrorKind.TooManyHeaders, StompParse.All(StompParse.Bytes("SEND\na:1\nb:2\nc:3\n\n\0"), StompVersion.V12, limits).Error);
    }

    [Fact]
    public void RejectsADeclaredOversizeBodyBeforeAnyOfItArrives()
    {
        var buffer = new ReadOnlySequence<byte>(StompParse.Bytes("SEND\ncontent-length:2000000\n\n"));
        var error = Assert.Throws<StompProtocolException>(() => StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out _));
        Assert.Equal(StompErrorKind.FrameTooLarge, error.Kind);
    }

    [Fact]
    public void CapsFramesAt64KiBBeforeConnectAndAt1MiBAfter()
    {
        var header = "k:" + new string('v', 7000) + "\n";
        var frame = StompParse.Bytes("CONNECT\n" + string.Concat(Enumerable.Repeat(header, 10)) + "\n\0");
        Assert.True(frame.Length > 64 * 1024);
        Assert.Equal(StompErrorKind.FrameTooLarge, StompParse.All(frame, StompVersion.V12, Limits.ForPreConnect()).Error);
        Assert.Null(StompParse.All(frame, StompVersion.V12, Limits).Error);
        Assert.Equal(64 * 1024, Limits.ForPreConnect().EffectiveMaxBodyBytes);
    }

    [Fact]
    public void ValidatesLimits()
    {
        StompCodecLimits.Default.Validate();
        Assert.Throws<ArgumentOutOfRangeException>(() => new StompCodecLimits { MaxFrameBytes = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StompCodecLimits { MaxHeaderLineBytes = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new StompCodecLimits { MaxBodyBytes = -1 }.Validate());
    }

    private static StompFrame ReadOne(string text)
    {
        var buffer = new ReadOnlySequence<byte>(StompParse.Bytes(text));
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, Limits, out var frame));
        return frame;
    }
}

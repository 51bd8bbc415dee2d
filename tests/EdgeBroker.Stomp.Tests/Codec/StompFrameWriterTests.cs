namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;
using System.Text;
using EdgeBroker.Stomp.Codec;

[Trait("Category", "Unit")]
public sealed class StompFrameWriterTests
{
    [Fact]
    public void WritesTheExactWireBytesOfASimpleFrame()
    {
        var text = Write(StompCommand.Send, [new("destination", "/queue/a")], "hi"u8, StompVersion.V12);
        Assert.Equal("SEND\ndestination:/queue/a\n\nhi\0", text);
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-heart-beating")]
    public void WritesAHeartbeatAsASingleLf()
    {
        var output = new ArrayBufferWriter<byte>();
        StompFrameWriter.WriteHeartbeat(output);
        Assert.Equal("\n"u8.ToArray(), output.WrittenSpan.ToArray());

        var viaFrame = new ArrayBufferWriter<byte>();
        StompFrameWriter.Write(viaFrame, StompFrame.Heartbeat, StompVersion.V12);
        Assert.Equal("\n"u8.ToArray(), viaFrame.WrittenSpan.ToArray());
    }

    [Fact]
    [Trait("Spec", "STOMP-1.2-header-content-length")]
    public void AddsContentLengthWhenTheBodyContainsNul()
    {
        var text = Write(StompCommand.Message, [new("destination", "/topic/t")], "a\0b"u8, StompVersion.V12);
        Assert.Equal("MESSAGE\ndestination:/topic/t\ncontent-length:3\n\na\0b\0", text);
    }

    [Fact]
    public void AddsContentLengthWhenTheBodyIsNotUtf8()
    {
        var text = Write(StompCommand.Message, [], new byte[] { 0xff, 0xfe }, StompVersion.V11);
        Assert.Contains("content-length:2\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OmitsContentLengthForTextWhenNotAsked()
    {
        var text = Write(StompCommand.Send, [], "text"u8, StompVersion.V12);
        Assert.DoesNotContain("content-length", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AlwaysModeAddsContentLengthToBodyCommandsOnly()
    {
        Assert.Equal("SEND\ncontent-length:0\n\n\0", Write(StompCommand.Send, [], default, StompVersion.V12, StompContentLengthMode.Always));
        Assert.Equal("SUBSCRIBE\nid:1\n\n\0", Write(StompCommand.Subscribe, [new("id", "1")], default, StompVersion.V12, StompContentLengthMode.Always));
    }

    [Fact]
    public void KeepsAMatchingCallerContentLengthAndAddsNoSecond()
    {
        var text = Write(StompCommand.Send, [new("content-length", "3")], "a\0b"u8, StompVersion.V12);
        Assert.Equal("SEND\ncontent-length:3\n\na\0b\0", text);
    }

    [Fact]
    public void RejectsProgrammingErrors()
    {
        Assert.Throws<ArgumentException>(() => Write(StompCommand.Send, [new("content-length", "9")], "a"u8, StompVersion.V12));
        Assert.Throws<ArgumentException>(() => Write(StompCommand.Subscribe, [], "a"u8, StompVersion.V12));
        Assert.Throws<ArgumentException>(() => Write(StompCommand.Send, [new("", "v")], default, StompVersion.V12));
        Assert.Throws<ArgumentException>(() => Write(StompCommand.Heartbeat, [new("a", "b")], default, StompVersion.V12));
    }

    [Fact]
    public void WritesLargeBodiesThroughSmallSpans()
    {
        var body = Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray();
        var output = new SmallChunkBufferWriter(chunk: 64);
        StompFrameWriter.Write(output, StompCommand.Send, [new("destination", "/a")], body, StompVersion.V12);
        Assert.True(output.GetSpanCalls > 10);

        var buffer = new ReadOnlySequence<byte>(output.Written);
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, StompCodecLimits.Default, out var frame));
        Assert.Equal(body, frame.Body.ToArray());
        Assert.Equal("5000", frame.Get("content-length"));
        Assert.True(buffer.IsEmpty);
    }

    internal static string Write(StompCommand command, StompHeader[] headers, ReadOnlySpan<byte> body, StompVersion version, StompContentLengthMode mode = StompContentLengthMode.WhenNeeded)
    {
        var output = new ArrayBufferWriter<byte>();
        StompFrameWriter.Write(output, command, headers, body, version, mode);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}

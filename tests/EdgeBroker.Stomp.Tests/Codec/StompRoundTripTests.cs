namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;
using EdgeBroker.Stomp.Codec;

/// <summary>Writer then reader gives back the same frame, for every command in every version.</summary>
[Trait("Category", "Conformance")]
public sealed class StompRoundTripTests
{
    public static TheoryData<StompCommand, StompVersion> EveryCommandAndVersion()
    {
        var data = new TheoryData<StompCommand, StompVersion>();
        foreach (var command in Enum.GetValues<StompCommand>().Where(c => c != StompCommand.Heartbeat))
        {
            foreach (var version in Enum.GetValues<StompVersion>())
            {
                data.Add(command, version);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommandAndVersion))]
    public void RoundTripsEveryCommandInEveryVersion(StompCommand command, StompVersion version)
    {
        var headers = HeadersFor(command, version);
        byte[] body = StompCommandNames.AllowsBody(command) ? [(byte)'h', 0, (byte)'i', 0xff] : [];
        var output = new ArrayBufferWriter<byte>();
        StompFrameWriter.Write(output, command, headers, body, version);

        var bytes = output.WrittenSpan.ToArray();
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.True(StompFrameReader.TryRead(ref buffer, version, StompCodecLimits.Default, out var frame));
        Assert.True(buffer.IsEmpty);
        Assert.Equal(command, frame.Command);
        Assert.Equal(body, frame.Body.ToArray());
        var expected = body.Length > 0 ? [.. headers, new StompHeader("content-length", body.Length.ToString())] : headers;
        Assert.Equal(expected, frame.Headers);

        // The writer's own output must also survive every split.
        StompFrameReaderSplitTests.AssertSplitInvariant(bytes, version, StompCodecLimits.Default);
    }

    [Theory]
    [InlineData(StompVersion.V10)]
    [InlineData(StompVersion.V11)]
    [InlineData(StompVersion.V12)]
    public void RoundTripsATextBodyWithoutContentLength(StompVersion version)
    {
        var output = new ArrayBufferWriter<byte>();
        StompFrameWriter.Write(output, StompCommand.Send, [new("destination", "/queue/a")], "caf\u00e9"u8, version);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(StompFrameReader.TryRead(ref buffer, version, StompCodecLimits.Default, out var frame));
        Assert.Null(frame.Get("content-length"));
        Assert.Equal("caf\u00e9"u8.ToArray(), frame.Body.ToArray());
    }

    [Fact]
    public void RoundTripsAFrameObject()
    {
        var original = new StompFrame(StompCommand.Error, [new("message", "bad: \\ thing"), new("message", "second")], new byte[] { 1, 2, 3 });
        var output = new ArrayBufferWriter<byte>();
        StompFrameWriter.Write(output, original, StompVersion.V12, StompContentLengthMode.Always);
        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, StompCodecLimits.Default, out var frame));
        Assert.Equal("bad: \\ thing", frame.Get("message"));
        Assert.Equal(original.Headers, frame.Headers.Take(2));
        Assert.Equal(original.Body.ToArray(), frame.Body.ToArray());
    }

    private static StompHeader[] HeadersFor(StompCommand command, StompVersion version)
    {
        // Values use every octet the frame can carry: escapable ones only where escaping applies.
        var special = !StompCommandNames.UsesEscaping(command, version)
            ? @"plain \ back:colon"
            : version == StompVersion.V11 ? "a:b\nc\\d" : "a:b\nc\\d\re";
        return
        [
            new("destination", "/queue/q-" + command),
            new("x-special", special),
            new("x-special", "second"),
            new("x-utf8", "\u00e9\u65e5\U0001F600"),
            new("x-empty", ""),
        ];
    }
}

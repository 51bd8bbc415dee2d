namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// Allocation budget of the hot paths (STYLE.md: no per-message allocations beyond the payload):
/// a partial frame costs nothing, a heart-beat costs nothing, writing costs nothing.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StompCodecAllocationTests
{
    private static readonly byte[] Partial = StompParse.Bytes("SEND\ndestination:/queue/a\ncontent-type:text/plain\n\nhello wor");

    [Fact]
    public void WaitingForTheRestOfAFrameAllocatesNothing()
    {
        var single = new ReadOnlySequence<byte>(Partial);
        var split = SegmentedSequence.Create(Partial, 7, 30);
        TryReadPartial(single);
        TryReadPartial(split);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            TryReadPartial(single);
            TryReadPartial(split);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ReadingAHeartbeatAllocatesNothing()
    {
        var data = StompParse.Bytes("\r\n");
        ReadHeartbeat(data);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            ReadHeartbeat(data);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void WritingAFrameAllocatesNothing()
    {
        StompHeader[] headers = [new("destination", "/topic/a:b"), new("message-id", "42"), new("subscription", "s-1")];
        var body = new byte[] { 1, 0, 2 };
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        StompFrameWriter.Write(output, StompCommand.Message, headers, body, StompVersion.V12);
        output.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            StompFrameWriter.Write(output, StompCommand.Message, headers, body, StompVersion.V12);
            StompFrameWriter.WriteHeartbeat(output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(output.WrittenCount > 0);
    }

    [Fact]
    public void ReadingAFrameWithKnownHeaderNamesAllocatesOnlyTheFrameHeaderArrayAndValues()
    {
        var data = StompParse.Bytes("SEND\ndestination:/queue/a\nreceipt:r\n\nhello\0");
        Read(data);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Read(data);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // frame object + 2-element header array + two short value strings, with room for runtime noise;
        // the body is borrowed, names are interned.
        Assert.InRange(allocated, 1, 300);
    }

    private static void TryReadPartial(ReadOnlySequence<byte> buffer)
    {
        Assert.False(StompFrameReader.TryRead(ref buffer, StompVersion.V12, StompCodecLimits.Default, out _));
    }

    private static void ReadHeartbeat(byte[] data)
    {
        var buffer = new ReadOnlySequence<byte>(data);
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, StompCodecLimits.Default, out _));
    }

    private static void Read(byte[] data)
    {
        var buffer = new ReadOnlySequence<byte>(data);
        Assert.True(StompFrameReader.TryRead(ref buffer, StompVersion.V12, StompCodecLimits.Default, out _));
    }
}

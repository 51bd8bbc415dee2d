namespace EdgeBroker.Mqtt.Tests.Codec;

using System.Buffers;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s so every reader path that
/// crosses a segment boundary is exercised (nats-server parser_test.go style).</summary>
internal static class SegmentedSequence
{
    /// <summary>Splits <paramref name="data"/> at the given ascending offsets (empty segments allowed).</summary>
    public static ReadOnlySequence<byte> Create(byte[] data, params int[] splitPoints)
    {
        var first = new Segment(Slice(data, 0, splitPoints.Length > 0 ? splitPoints[0] : data.Length));
        var last = first;
        for (var i = 0; i < splitPoints.Length; i++)
        {
            var end = i + 1 < splitPoints.Length ? splitPoints[i + 1] : data.Length;
            last = last.Append(Slice(data, splitPoints[i], end));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>One segment per byte: the worst case for any span-based shortcut.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        data.Length == 0 ? ReadOnlySequence<byte>.Empty : Create(data, Enumerable.Range(1, data.Length - 1).ToArray());

    // A private copy per segment, so a reader that strays outside its segment cannot see the neighbours.
    private static byte[] Slice(byte[] data, int start, int end) => data.AsSpan(start, end - start).ToArray();

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}

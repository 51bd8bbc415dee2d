namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;

/// <summary>Builds <see cref="ReadOnlySequence{T}"/> inputs cut at chosen points, as a pipe would deliver them.</summary>
internal static class SegmentedSequence
{
    /// <summary>Cuts <paramref name="data"/> at every offset in <paramref name="cuts"/> (ascending, 0 &lt; cut &lt; length).</summary>
    public static ReadOnlySequence<byte> Create(byte[] data, params int[] cuts)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var cut in cuts)
        {
            pieces.Add(Copy(data, start, cut - start));
            start = cut;
        }

        pieces.Add(Copy(data, start, data.Length - start));
        return FromPieces(pieces);
    }

    /// <summary>Every byte in its own segment.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data) =>
        data.Length == 0 ? ReadOnlySequence<byte>.Empty : FromPieces([.. data.Select(b => new ReadOnlyMemory<byte>([b]))]);

    public static ReadOnlySequence<byte> FromPieces(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new TestSegment(pieces[0], 0);
        var last = first;
        for (var i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    // Each piece gets its own array so a reader that strays past its segment fails loudly.
    private static ReadOnlyMemory<byte> Copy(byte[] data, int start, int length) => data.AsSpan(start, length).ToArray();
}

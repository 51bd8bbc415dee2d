namespace EdgeBroker.Stomp.Tests.Codec;

using System.Buffers;

/// <summary>An <see cref="IBufferWriter{T}"/> that hands out spans no larger than asked (or a small chunk), like a fragmented pipe.</summary>
internal sealed class SmallChunkBufferWriter(int chunk) : IBufferWriter<byte>
{
    private readonly List<byte> _written = [];
    private byte[] _current = [];

    public int GetSpanCalls { get; private set; }

    public byte[] Written => [.. _written];

    public void Advance(int count)
    {
        if (count > _current.Length)
        {
            throw new InvalidOperationException("advanced past the span handed out");
        }

        _written.AddRange(_current.AsSpan(0, count).ToArray());
        _current = [];
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        GetSpanCalls++;
        _current = new byte[Math.Max(sizeHint, chunk)];
        return _current;
    }

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
}

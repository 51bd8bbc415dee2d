namespace EdgeBroker.Core.Streams;

using System.Buffers;
using System.Text;

/// <summary>
/// Picks a partition from a key or topic with a hash that is stable across processes and versions
/// (FNV-1a 32 over the UTF-8 bytes; <see cref="string.GetHashCode()"/> is randomised per process and would
/// re-route keys after a restart). Stateless, thread-safe.
/// </summary>
public static class StreamPartitioner
{
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The partition of <paramref name="text"/> among <paramref name="partitions"/>.</summary>
    public static int PartitionFor(string text, int partitions)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        return (int)(Hash(text) % (uint)partitions);
    }

    public static uint Hash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = max <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            var hash = FnvOffset;
            foreach (var b in buffer[..length])
            {
                hash = (hash ^ b) * FnvPrime;
            }

            return hash;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

namespace EdgeBroker.Storage;

using System.Buffers.Binary;
using System.Numerics;

/// <summary>CRC-32C (Castagnoli) over spans using the hardware instruction in 8/4/1-byte steps. Thread-safe (pure).</summary>
internal static class Crc32CHelper
{
    public const uint Seed = 0xFFFFFFFFu;

    /// <summary>Continues <paramref name="crc"/> over <paramref name="data"/>; start with <see cref="Seed"/>, finish with <see cref="Finish"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }

    public static uint Finish(uint crc) => ~crc;

    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Seed, data));
}

namespace EdgeBroker.Storage;

using System.Buffers.Binary;

/// <summary>
/// The recovery point of a log (R9): every segment wholly below this offset was fsynced and sealed, so an
/// unclean start scans only from here. Written atomically (<see cref="AtomicFile"/>).
/// <code>
/// +----------------------+--------------------+
/// | offset (i64 LE)      | CRC32C of offset   |
/// +----------------------+--------------------+
/// </code>
/// Thread-safety: stateless.
/// </summary>
internal static class RecoveryCheckpoint
{
    private const int Size = 12;

    /// <summary>The stored offset, or 0 (scan everything) when missing or damaged.</summary>
    public static long Read(IFileIO io, string directory)
    {
        var bytes = AtomicFile.Read(io, Path.Combine(directory, SegmentFiles.RecoveryPointFile));
        if (bytes is not { Length: Size } || Crc32CHelper.Compute(bytes.AsSpan(0, 8)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)))
        {
            return 0;
        }

        return Math.Max(0, BinaryPrimitives.ReadInt64LittleEndian(bytes));
    }

    public static void Write(IFileIO io, string directory, long offset)
    {
        Span<byte> bytes = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], Crc32CHelper.Compute(bytes[..8]));
        AtomicFile.Write(io, Path.Combine(directory, SegmentFiles.RecoveryPointFile), bytes);
    }
}

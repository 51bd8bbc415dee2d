namespace EdgeBroker.Storage;

using System.Buffers.Binary;

/// <summary>
/// The sparse offset index of one segment (<c>.index</c>): one entry every IndexIntervalBytes of batches.
/// <code>
/// entry (8 bytes, little-endian):  +--------------------+-------------------+
///                                  | rel offset (u32)   | file position u32 |
///                                  +--------------------+-------------------+
/// rel offset = batch base offset - segment base offset; strictly increasing, as are positions.
/// </code>
/// The index is a cache: recovery rebuilds it from the segment whenever it is missing, torn or stale (F08).
/// Thread-safety: one writer; <see cref="Lookup"/> may run concurrently (entries are appended under a lock).
/// </summary>
internal sealed class OffsetIndex
{
    public const int EntrySize = 8;

    private readonly List<(uint Rel, uint Position)> _entries = [];
    private readonly object _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public (uint Rel, uint Position) this[int index]
    {
        get
        {
            lock (_gate)
            {
                return _entries[index];
            }
        }
    }

    public void Add(uint rel, uint position)
    {
        lock (_gate)
        {
            _entries.Add((rel, position));
        }
    }

    /// <summary>The file position of the last indexed batch whose base is ≤ <paramref name="rel"/>, or 0.</summary>
    public long Lookup(long rel) => LookupEntry(rel).Position;

    /// <summary>The last entry whose relative offset is ≤ <paramref name="rel"/>, or (0, 0).</summary>
    public (uint Rel, uint Position) LookupEntry(long rel)
    {
        lock (_gate)
        {
            int lo = 0, hi = _entries.Count - 1, found = -1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                if (_entries[mid].Rel <= rel)
                {
                    found = mid;
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return found < 0 ? (0, 0) : _entries[found];
        }
    }

    public byte[] Serialize()
    {
        lock (_gate)
        {
            var bytes = new byte[_entries.Count * EntrySize];
            for (var i = 0; i < _entries.Count; i++)
            {
                WriteEntry(bytes.AsSpan(i * EntrySize), _entries[i].Rel, _entries[i].Position);
            }

            return bytes;
        }
    }

    public static void WriteEntry(Span<byte> destination, uint rel, uint position)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, rel);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], position);
    }

    /// <summary>Parses an index file; null when it is torn or not strictly increasing or points past <paramref name="segmentSize"/>.</summary>
    public static OffsetIndex? TryParse(ReadOnlySpan<byte> bytes, long segmentSize)
    {
        if (bytes.Length % EntrySize != 0)
        {
            return null;
        }

        var index = new OffsetIndex();
        for (var p = 0; p < bytes.Length; p += EntrySize)
        {
            var rel = BinaryPrimitives.ReadUInt32LittleEndian(bytes[p..]);
            var pos = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(p + 4)..]);
            if (pos >= segmentSize || (index._entries.Count > 0 && (rel <= index._entries[^1].Rel || pos <= index._entries[^1].Position)))
            {
                return null;
            }

            index._entries.Add((rel, pos));
        }

        return index;
    }
}

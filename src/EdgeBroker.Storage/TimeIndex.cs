namespace EdgeBroker.Storage;

using System.Buffers.Binary;

/// <summary>
/// The sparse time index of one segment (<c>.timeindex</c>).
/// <code>
/// entry (12 bytes, little-endian): +------------------------------+--------------------+
///                                  | max timestamp so far (i64 ms)| rel offset (u32)   |
///                                  +------------------------------+--------------------+
/// Meaning of (T, R): every record at an offset below base+R has a timestamp ≤ T. T never decreases,
/// so non-monotonic record timestamps are tolerated (F25). A sealed segment ends with (segment max, next rel).
/// </code>
/// Thread-safety: one writer; lookups may run concurrently (guarded by a lock).
/// </summary>
internal sealed class TimeIndex
{
    public const int EntrySize = 12;

    private readonly List<(long Timestamp, uint Rel)> _entries = [];
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

    public long? LastTimestamp
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count == 0 ? null : _entries[^1].Timestamp;
            }
        }
    }

    public (long Timestamp, uint Rel) Last
    {
        get
        {
            lock (_gate)
            {
                return _entries[^1];
            }
        }
    }

    /// <summary>
    /// Adds an entry when <paramref name="rel"/> grows and <paramref name="timestamp"/> does not shrink; returns whether it did.
    /// (The writer adds sparse entries only when the timestamp grew; the seal entry may repeat the last timestamp.)
    /// </summary>
    public bool TryAdd(long timestamp, uint rel)
    {
        lock (_gate)
        {
            if (_entries.Count > 0 && (timestamp < _entries[^1].Timestamp || rel <= _entries[^1].Rel))
            {
                return false;
            }

            _entries.Add((timestamp, rel));
            return true;
        }
    }

    /// <summary>The relative offset from which a scan for timestamp ≥ <paramref name="timestamp"/> may start.</summary>
    public uint StartRelFor(long timestamp)
    {
        lock (_gate)
        {
            uint rel = 0;
            foreach (var (t, r) in _entries)
            {
                if (t >= timestamp)
                {
                    break;
                }

                rel = r;
            }

            return rel;
        }
    }

    public byte[] Serialize()
    {
        lock (_gate)
        {
            var bytes = new byte[_entries.Count * EntrySize];
            for (var i = 0; i < _entries.Count; i++)
            {
                WriteEntry(bytes.AsSpan(i * EntrySize), _entries[i].Timestamp, _entries[i].Rel);
            }

            return bytes;
        }
    }

    public static void WriteEntry(Span<byte> destination, long timestamp, uint rel)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], rel);
    }

    /// <summary>Parses an index file; null when torn or out of order.</summary>
    public static TimeIndex? TryParse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % EntrySize != 0)
        {
            return null;
        }

        var index = new TimeIndex();
        for (var p = 0; p < bytes.Length; p += EntrySize)
        {
            if (!index.TryAdd(BinaryPrimitives.ReadInt64LittleEndian(bytes[p..]), BinaryPrimitives.ReadUInt32LittleEndian(bytes[(p + 8)..])))
            {
                return null;
            }
        }

        return index;
    }
}

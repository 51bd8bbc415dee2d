namespace EdgeBroker.Storage.Tests;

/// <summary>
/// The strict power-cut model of issue 8 (R14): everything not fsynced is dropped, except that the last unsynced
/// write of each file leaves a prefix of itself cut at any byte (a torn write without sector alignment, the worst
/// case for a checksum-less format). Unsynced directory entries (creates, renames, deletes) are all dropped.
/// <see cref="Crash"/> is the looser model (a random prefix of the unsynced writes survives).
/// </summary>
internal sealed partial class CrashableFileIO
{
    /// <summary>Cuts the power now and reboots; old handles stop working.</summary>
    public void PowerCut(Random random)
    {
        lock (_gate)
        {
            foreach (var inode in _names.Values.Concat(_durableNames.Values).Distinct())
            {
                inode.PowerCut(random);
            }

            _pendingDirectoryOps.Clear();
            _names.Clear();
            foreach (var (name, inode) in _durableNames)
            {
                _names[name] = inode;
            }

            _generation++;
            _dead = false;
            CrashAtOperation = null;
        }
    }

    private sealed partial class Inode
    {
        public void PowerCut(Random random)
        {
            var image = _durable.ToArray();
            long length = image.Length;
            if (_pending.Count > 0 && _pending[^1].Data is { Length: > 0 } last)
            {
                // The last write reached the platter partially: 0..len-1 of its bytes, at any byte.
                var kept = random.Next(last.Length);
                ApplyTo(ref image, ref length, _pending[^1].Position, last.AsSpan(0, kept));
            }

            _pending.Clear();
            _durable = image.AsSpan(0, (int)length).ToArray();
            _current = _durable.ToArray();
            _length = _durable.Length;
        }
    }
}

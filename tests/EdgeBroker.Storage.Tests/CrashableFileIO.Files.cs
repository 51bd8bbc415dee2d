namespace EdgeBroker.Storage.Tests;

/// <summary>Inodes, handles and directory operations of <see cref="CrashableFileIO"/>.</summary>
internal sealed partial class CrashableFileIO
{
    private enum DirectoryOperationKind
    {
        Create = 0,
        Delete = 1,
        Rename = 2,
    }

    private sealed record DirectoryOperation(DirectoryOperationKind Kind, string Path, string? Destination, Inode? Inode);

    /// <summary>File content: durable bytes plus unsynced operations (a write, or a truncation when Data is null).</summary>
    private sealed partial class Inode
    {
        private readonly List<(long Position, byte[]? Data, long Length)> _pending = [];
        private byte[] _durable = [];
        private byte[] _current = [];
        private long _length;

        public long Length => _length;

        public byte[] Snapshot() => _current.AsSpan(0, (int)_length).ToArray();

        public int Read(long position, Span<byte> buffer)
        {
            if (position >= _length)
            {
                return 0;
            }

            var n = (int)Math.Min(buffer.Length, _length - position);
            _current.AsSpan((int)position, n).CopyTo(buffer);
            return n;
        }

        public void Write(long position, ReadOnlySpan<byte> data)
        {
            _pending.Add((position, data.ToArray(), 0));
            ApplyTo(ref _current, ref _length, position, data);
        }

        public void SetLength(long length)
        {
            _pending.Add((0, null, length));
            Resize(ref _current, ref _length, length);
        }

        public void Flush()
        {
            _durable = Snapshot();
            _pending.Clear();
        }

        public void Crash(Random random, bool tear)
        {
            var image = _durable;
            long length = image.Length;
            image = image.ToArray();
            var keep = random.Next(_pending.Count + 1);
            for (var i = 0; i < keep; i++)
            {
                Replay(ref image, ref length, _pending[i]);
            }

            if (tear && keep < _pending.Count && _pending[keep].Data is { } torn)
            {
                // A torn write persists a sector-aligned prefix of itself (512-byte sectors).
                var start = _pending[keep].Position;
                var firstBoundary = ((start / 512) + 1) * 512;
                var boundaries = new List<long>();
                for (var b = firstBoundary; b < start + torn.Length; b += 512)
                {
                    boundaries.Add(b);
                }

                if (boundaries.Count > 0)
                {
                    var cut = boundaries[random.Next(boundaries.Count)];
                    ApplyTo(ref image, ref length, start, torn.AsSpan(0, (int)(cut - start)));
                }
            }

            _pending.Clear();
            _durable = image.AsSpan(0, (int)length).ToArray();
            _current = _durable.ToArray();
            _length = _durable.Length;
        }

        private static void Replay(ref byte[] image, ref long length, (long Position, byte[]? Data, long Length) op)
        {
            if (op.Data is null)
            {
                Resize(ref image, ref length, op.Length);
            }
            else
            {
                ApplyTo(ref image, ref length, op.Position, op.Data);
            }
        }

        private static void ApplyTo(ref byte[] image, ref long length, long position, ReadOnlySpan<byte> data)
        {
            var end = position + data.Length;
            if (end > image.Length)
            {
                Array.Resize(ref image, (int)Math.Max(end, image.Length * 2L));
            }

            data.CopyTo(image.AsSpan((int)position));
            length = Math.Max(length, end);
        }

        private static void Resize(ref byte[] image, ref long length, long newLength)
        {
            if (newLength > image.Length)
            {
                Array.Resize(ref image, (int)newLength);
            }
            else
            {
                image.AsSpan((int)newLength).Clear();
            }

            length = newLength;
        }
    }

    private sealed class CrashableFile(CrashableFileIO owner, Inode inode, string path, int generation) : IStorageFile
    {
        public string Path => path;

        public long Length
        {
            get
            {
                lock (owner._gate)
                {
                    CheckHandle();
                    return inode.Length;
                }
            }
        }

        public int Read(long position, Span<byte> buffer)
        {
            lock (owner._gate)
            {
                CheckHandle();
                return inode.Read(position, buffer);
            }
        }

        public void Write(long position, ReadOnlySpan<byte> data)
        {
            lock (owner._gate)
            {
                CheckHandle();
                if (owner.FailWrite?.Invoke(path) == true)
                {
                    throw new IOException("No space left on device (simulated ENOSPC)");
                }

                owner.Step();
                inode.Write(position, data);
            }
        }

        public void SetLength(long length)
        {
            lock (owner._gate)
            {
                CheckHandle();
                owner.Step();
                inode.SetLength(length);
            }
        }

        public void Flush()
        {
            owner.BeforeFlush?.Invoke(path);
            lock (owner._gate)
            {
                CheckHandle();
                if (owner.FailFlush?.Invoke(path) == true)
                {
                    throw new IOException("Input/output error (simulated EIO on fsync)");
                }

                owner.Step();
                owner.Flushes++;
                inode.Flush();
            }
        }

        public void Dispose()
        {
        }

        private void CheckHandle()
        {
            owner.CheckAlive();
            if (generation != owner._generation)
            {
                throw new IOException("stale handle from before the simulated crash");
            }
        }
    }
}

namespace EdgeBroker.Storage.Tests;

/// <summary>
/// An in-memory file system that models power loss, in the style of SQLite's test6.c crash VFS and LazyFS (R14).
/// Each file (inode) has durable bytes plus a list of unsynced writes; <see cref="IStorageFile.Flush"/> makes them
/// durable. Each directory has a list of unsynced entry operations (create, rename, delete);
/// <see cref="SyncDirectory"/> makes them durable. <see cref="Crash"/> keeps synced state and, per file and per
/// directory, a random prefix of what was not synced, optionally tearing the next write at a 512-byte boundary.
/// Directories themselves are created durably (simplification). <see cref="CrashAtOperation"/> kills the
/// "process" at the n-th mutating operation: it and every later call throw, as if the broker died there.
/// Thread-safety: every call takes one lock.
/// </summary>
internal sealed partial class CrashableFileIO : IFileIO
{
    private readonly object _gate = new();
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Inode> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Inode> _durableNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<DirectoryOperation>> _pendingDirectoryOps = new(StringComparer.Ordinal);
    private int _generation;
    private bool _dead;

    /// <summary>Mutating operations performed so far (writes, truncations, fsyncs, creates, renames, deletes).</summary>
    public int Operations { get; private set; }

    /// <summary>When set, the operation with this number fails and the "process" is dead until <see cref="Crash"/>.</summary>
    public int? CrashAtOperation { get; set; }

    /// <summary>When it returns true for a path, Flush throws (EIO, F13).</summary>
    public Func<string, bool>? FailFlush { get; set; }

    /// <summary>When it returns true for a path, Write throws (ENOSPC, F12).</summary>
    public Func<string, bool>? FailWrite { get; set; }

    /// <summary>Called (outside the lock) before a file's fsync; tests use it to hold an fsync open.</summary>
    public Action<string>? BeforeFlush { get; set; }

    public int Flushes { get; private set; }

    public bool IsDead
    {
        get
        {
            lock (_gate)
            {
                return _dead;
            }
        }
    }

    public IStorageFile Open(string path, FileMode mode)
    {
        lock (_gate)
        {
            CheckAlive();
            var exists = _names.TryGetValue(path, out var inode);
            if (exists && mode == FileMode.CreateNew)
            {
                throw new IOException($"{path} exists");
            }

            if (!exists && mode is FileMode.Open or FileMode.Truncate)
            {
                throw new FileNotFoundException(path);
            }

            if (!_directories.Contains(Parent(path)))
            {
                throw new DirectoryNotFoundException(Parent(path));
            }

            if (!exists)
            {
                Step();
                inode = new Inode();
                _names[path] = inode;
                Pending(path).Add(new DirectoryOperation(DirectoryOperationKind.Create, path, null, inode));
            }
            else if (mode is FileMode.Create or FileMode.Truncate)
            {
                Step();
                inode!.SetLength(0);
            }

            return new CrashableFile(this, inode!, path, _generation);
        }
    }

    public bool FileExists(string path)
    {
        lock (_gate)
        {
            return _names.ContainsKey(path);
        }
    }

    public bool DirectoryExists(string path)
    {
        lock (_gate)
        {
            return _directories.Contains(path);
        }
    }

    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            CheckAlive();
            for (var p = path; !string.IsNullOrEmpty(p); p = Parent(p))
            {
                _directories.Add(p);
            }
        }
    }

    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (_gate)
        {
            return _names.Keys.Where(n => Parent(n) == directory).Order(StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<string> ListDirectories(string directory)
    {
        lock (_gate)
        {
            return _directories.Where(d => Parent(d) == directory).Order(StringComparer.Ordinal).ToList();
        }
    }

    public void DeleteFile(string path)
    {
        lock (_gate)
        {
            CheckAlive();
            if (_names.Remove(path))
            {
                Step();
                Pending(path).Add(new DirectoryOperation(DirectoryOperationKind.Delete, path, null, null));
            }
        }
    }

    public void DeleteDirectory(string path)
    {
        lock (_gate)
        {
            CheckAlive();
            foreach (var name in _names.Keys.Where(n => n.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
            {
                _names.Remove(name);
                _durableNames.Remove(name);
            }

            _directories.RemoveWhere(d => d == path || d.StartsWith(path + "/", StringComparison.Ordinal));
        }
    }

    public void Move(string source, string destination)
    {
        lock (_gate)
        {
            CheckAlive();
            if (!_names.Remove(source, out var inode))
            {
                throw new FileNotFoundException(source);
            }

            Step();
            _names[destination] = inode;
            Pending(source).Add(new DirectoryOperation(DirectoryOperationKind.Rename, source, destination, null));
        }
    }

    public void SyncDirectory(string directory)
    {
        lock (_gate)
        {
            CheckAlive();
            Step();
            if (_pendingDirectoryOps.Remove(directory, out var ops))
            {
                foreach (var op in ops)
                {
                    Apply(op);
                }
            }
        }
    }

    /// <summary>Simulates a power loss now and reboots: see the class summary. Old handles stop working.</summary>
    public void Crash(Random random, bool tear = true)
    {
        lock (_gate)
        {
            foreach (var inode in _names.Values.Concat(_durableNames.Values).Distinct())
            {
                inode.Crash(random, tear);
            }

            foreach (var ops in _pendingDirectoryOps.Values)
            {
                var keep = random.Next(ops.Count + 1);
                for (var i = 0; i < keep; i++)
                {
                    Apply(ops[i]);
                }
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

    /// <summary>The current content of a file (test inspection and corruption).</summary>
    public byte[] ReadAllBytes(string path)
    {
        lock (_gate)
        {
            return _names[path].Snapshot();
        }
    }

    private static string Parent(string path) => Path.GetDirectoryName(path) ?? string.Empty;

    private List<DirectoryOperation> Pending(string path)
    {
        var directory = Parent(path);
        if (!_pendingDirectoryOps.TryGetValue(directory, out var list))
        {
            list = [];
            _pendingDirectoryOps[directory] = list;
        }

        return list;
    }

    private void Apply(DirectoryOperation op)
    {
        switch (op.Kind)
        {
            case DirectoryOperationKind.Create:
                _durableNames[op.Path] = op.Inode!;
                break;
            case DirectoryOperationKind.Delete:
                _durableNames.Remove(op.Path);
                break;
            default:
                if (_durableNames.Remove(op.Path, out var inode))
                {
                    _durableNames[op.Destination!] = inode;
                }

                break;
        }
    }

    private void CheckAlive()
    {
        if (_dead)
        {
            throw new IOException("simulated crash: the process is dead");
        }
    }

    /// <summary>Counts one mutating operation; the configured one kills the process before it takes effect.</summary>
    private void Step()
    {
        Operations++;
        if (CrashAtOperation is { } at && Operations >= at)
        {
            _dead = true;
            throw new IOException("simulated crash at operation " + Operations);
        }
    }
}

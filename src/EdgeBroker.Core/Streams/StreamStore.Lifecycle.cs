namespace EdgeBroker.Core.Streams;

using System.Buffers.Binary;
using System.Globalization;
using EdgeBroker.Storage;

/// <summary>Opening (configured declarations, existing streams, leftovers) and closing of <see cref="StreamStore"/>.</summary>
public sealed partial class StreamStore
{
    public async ValueTask DisposeAsync()
    {
        await _structure.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }
        finally
        {
            _structure.Release();
        }

        if (_maintenance is not null)
        {
            await _maintenance.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var stream in _streams.Values)
        {
            stream.IsClosed = true;
            await stream.Log.DisposeAsync().ConfigureAwait(false);
        }

        _streams.Clear();
        await _offsets.Log.DisposeAsync().ConfigureAwait(false);
        await _declarations.DisposeAsync().ConfigureAwait(false);
    }

    private static string DeclarationKey(string name) => "stream/" + name;

    private static string StartKey(string name, int partition) => $"start/{name}/{partition.ToString(CultureInfo.InvariantCulture)}";

    private void ApplyConfigured(IEnumerable<StreamDeclaration> configured)
    {
        foreach (var declaration in configured)
        {
            declaration.Validate();
            var stored = ReadDeclaration(declaration.Name);
            if (stored is not null && stored.Partitions != declaration.Partitions)
            {
                throw new InvalidOperationException($"stream '{declaration.Name}' is configured with {declaration.Partitions} partitions but holds {stored.Partitions}; changing the partition count would re-route keys (delete the stream to change it)");
            }

            if (stored is null || !stored.Equals(declaration))
            {
                _declarations.Set(DeclarationKey(declaration.Name), StreamDeclarationCodec.Serialize(declaration));
                _notes.Add(stored is null ? $"declared '{declaration.Name}' from configuration" : $"updated '{declaration.Name}' from configuration");
            }
        }
    }

    private StreamDeclaration? ReadDeclaration(string name)
    {
        if (!_declarations.TryGet(DeclarationKey(name), out var bytes))
        {
            return null;
        }

        try
        {
            return StreamDeclarationCodec.Deserialize(bytes);
        }
        catch (FormatException ex)
        {
            // F26: never delete or "repair" what we cannot read; fail with the stream named.
            throw new InvalidDataException($"The declaration of stream '{name}' in {_declarations.Directory} is unreadable: {ex.Message}", ex);
        }
    }

    private void OpenExisting()
    {
        var declared = _declarations.Snapshot()
            .Where(e => e.Key.StartsWith("stream/", StringComparison.Ordinal))
            .Select(e => e.Key["stream/".Length..])
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var name in declared)
        {
            var declaration = ReadDeclaration(name)!;
            var stream = OpenStream(declaration, _reports);
            _streams[name] = stream;
            ResetCommitsBeyondEnd(stream);
            _notes.Add($"opened '{name}': {stream.PartitionCount} partitions, {stream.Stats.Records} records");
        }

        foreach (var directory in _defaults.FileIO.ListDirectories(_root))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith('.') || _streams.ContainsKey(name))
            {
                continue;
            }

            if (IsStreamLeftover(directory))
            {
                _defaults.FileIO.DeleteDirectory(directory);
                _notes.Add($"removed '{name}': leftover of an interrupted stream delete");
            }
            else
            {
                _notes.Add($"ignored '{name}': not a stream directory (left untouched)");
            }
        }
    }

    private StreamLog OpenStream(StreamDeclaration declaration, List<RecoveryReport>? reports = null)
    {
        var log = PartitionedLog.Open(Path.Combine(_root, declaration.Name), declaration.Partitions, declaration.ToLogOptions(_defaults), out var opened);
        reports?.AddRange(opened);
        var starts = new long[declaration.Partitions];
        for (var p = 0; p < starts.Length; p++)
        {
            if (_declarations.TryGet(StartKey(declaration.Name, p), out var value) && value.Length == 8)
            {
                starts[p] = BinaryPrimitives.ReadInt64LittleEndian(value.Span);
            }
        }

        return new StreamLog(declaration, log, _time, starts);
    }

    /// <summary>R7 / F24: a commit past the recovered end (power loss under fsync=never/interval) is reported and reset to the end, not silently kept.</summary>
    private void ResetCommitsBeyondEnd(StreamLog stream)
    {
        foreach (var group in _offsets.Groups(stream.StreamName))
        {
            for (var p = 0; p < stream.PartitionCount; p++)
            {
                var end = stream.EndOffset(p);
                if (_offsets.Get(stream.StreamName, group, p) is { } committed && committed > end)
                {
                    _offsets.CommitAsync(stream.StreamName, group, p, end, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                    _notes.Add($"reset group '{group}' on '{stream.StreamName}' partition {p}: committed offset {committed} is beyond the recovered end {end} (records lost by a power loss under a relaxed fsync policy); resuming at {end}");
                }
            }
        }
    }

    /// <summary>True for a directory holding only what a partitioned log holds (the partitions file, numbered partition directories, a lock).</summary>
    private bool IsStreamLeftover(string directory)
    {
        var io = _defaults.FileIO;
        foreach (var file in io.ListFiles(directory))
        {
            if (Path.GetFileName(file) is not ("partitions" or "partitions.tmp" or ".lock"))
            {
                return false;
            }
        }

        foreach (var sub in io.ListDirectories(directory))
        {
            if (!int.TryParse(Path.GetFileName(sub), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return false;
            }
        }

        return true;
    }
}

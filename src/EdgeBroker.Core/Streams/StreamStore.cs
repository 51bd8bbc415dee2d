namespace EdgeBroker.Core.Streams;

using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using EdgeBroker.Core.Persistence;
using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;

/// <summary>
/// Every declared stream, opened at start, plus their consumer groups and committed offsets. It is the
/// broker's <see cref="IStreamTargetResolver"/> (bindings with a stream target append through it) and, once
/// <see cref="AttachTopology"/> was called, keeps each stream's capture filters bound on the default exchange.
/// </summary>
/// <remarks>
/// <code>
///  &lt;root&gt;/
///    .declarations/     KeyValueLog: "stream/&lt;name&gt;" → StreamDeclarationCodec JSON
///                                    "start/&lt;name&gt;/&lt;p&gt;" → i64 LE logical start (truncation)
///    .offsets/          KeyValueLog: "&lt;stream&gt;/&lt;group&gt;/&lt;p&gt;" → i64 LE committed offset (GroupOffsetStore)
///    &lt;name&gt;/            PartitionedLog: partitions, 0/, 1/, … (one Log per partition)
/// </code>
/// A stream exists exactly when its declaration does: declare writes it (durably) before creating the logs;
/// delete removes it (durably) before removing the logs. A directory shaped like a partitioned log without a
/// declaration is the leftover of an interrupted delete and is removed on open; anything else is left alone (F26).
/// Thread-safety: lookups are lock-free; declare, delete and truncate are serialized by one async lock.
/// </remarks>
public sealed partial class StreamStore : IStreamTargetResolver, IStreamProvider, IAsyncDisposable
{
    private const string DeclarationsDirectory = ".declarations";
    private const string OffsetsDirectory = ".offsets";

    private readonly string _root;
    private readonly LogOptions _defaults;
    private readonly TimeProvider _time;
    private readonly StreamStoreOptions _options;
    private readonly KeyValueLog _declarations;
    private readonly GroupOffsetStore _offsets;
    private readonly SemaphoreSlim _structure = new(1, 1);
    private readonly ConcurrentDictionary<string, StreamLog> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Stream, string Group), ConsumerGroup> _groups = new();
    private readonly List<RecoveryReport> _reports = [];
    private readonly List<string> _notes = [];
    private ITimer? _maintenance;
    private IBrokerTopology? _topology;
    private int _maintaining;
    private bool _disposed;

    private StreamStore(string root, LogOptions defaults, TimeProvider time, StreamStoreOptions options, KeyValueLog declarations, KeyValueLog offsets)
    {
        _root = root;
        _defaults = defaults;
        _time = time;
        _options = options;
        _declarations = declarations;
        _offsets = new GroupOffsetStore(offsets);
    }

    public string RootDirectory => _root;

    public IReadOnlyCollection<StreamLog> All => [.. _streams.Values.OrderBy(s => s.StreamName, StringComparer.Ordinal)];

    /// <summary>What opening every log found (declarations, offsets, each partition), for the host to log.</summary>
    public IReadOnlyList<RecoveryReport> RecoveryReports => _reports;

    /// <summary>Streams opened, leftovers removed, offsets reset (R7): for the host to log.</summary>
    public IReadOnlyList<string> OpenNotes => _notes;

    public long DeclarationsSizeBytes => _declarations.SizeBytes;

    public long OffsetsSizeBytes => _offsets.Log.SizeBytes;

    /// <summary>
    /// Opens (creating if needed) the store in <paramref name="rootDirectory"/>. <paramref name="configured"/>
    /// declarations (from configuration) are stored first, replacing stored ones with the same name, so a changed
    /// retention or filter list takes effect at this start; a changed partition count is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">A configured stream changes an existing stream's partition count.</exception>
    /// <exception cref="InvalidDataException">A stored declaration is unreadable (F26: nothing is deleted).</exception>
    public static StreamStore Open(string rootDirectory, LogOptions defaults, TimeProvider? time = null, StreamStoreOptions? options = null, IEnumerable<StreamDeclaration>? configured = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(rootDirectory);
        ArgumentNullException.ThrowIfNull(defaults);
        defaults.Validate();
        options ??= new StreamStoreOptions();
        options.Groups.Validate();
        time ??= defaults.Time;
        defaults = defaults with { Time = time };
        defaults.FileIO.CreateDirectory(rootDirectory);
        var declarations = KeyValueLog.Open(Path.Combine(rootDirectory, DeclarationsDirectory), defaults, out var declarationsReport);
        KeyValueLog? offsets = null;
        StreamStore? store = null;
        try
        {
            offsets = KeyValueLog.Open(Path.Combine(rootDirectory, OffsetsDirectory), defaults, out var offsetsReport);
            store = new StreamStore(rootDirectory, defaults, time, options, declarations, offsets);
            store._reports.Add(declarationsReport);
            store._reports.Add(offsetsReport);
            store.ApplyConfigured(configured ?? []);
            store.OpenExisting();
            if (options.MaintenanceInterval > TimeSpan.Zero)
            {
                store._maintenance = time.CreateTimer(_ => store.RunMaintenance(), null, options.MaintenanceInterval, options.MaintenanceInterval);
            }

            return store;
        }
        catch
        {
            if (store is not null)
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            else
            {
                offsets?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                declarations.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }
    }

    /// <summary>The stream, or null.</summary>
    public StreamLog? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _streams.GetValueOrDefault(name);
    }

    /// <summary>The bind target of a stream (the routing core calls this for stream bindings).</summary>
    public IMessageTarget? Resolve(string streamName) => Get(streamName);

    /// <summary>
    /// Declares a stream: idempotent when identical; <see cref="InvalidOperationException"/> when a stream of that
    /// name exists with other settings. Returns the stream and whether it was created. Captures its filters when a
    /// topology is attached.
    /// </summary>
    public async ValueTask<(StreamLog Stream, bool Created)> DeclareAsync(StreamDeclaration declaration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(declaration);
        declaration.Validate();
        await _structure.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_streams.TryGetValue(declaration.Name, out var existing))
            {
                if (!existing.Declaration.Equals(declaration))
                {
                    throw new InvalidOperationException($"stream '{declaration.Name}' exists with other settings ({existing.Declaration.Partitions} partitions, filters [{string.Join(", ", existing.Declaration.Filters)}]); delete it first or declare it identically");
                }

                return (existing, false);
            }

            var directory = Path.Combine(_root, declaration.Name);
            if (_defaults.FileIO.DirectoryExists(directory))
            {
                if (!IsStreamLeftover(directory))
                {
                    throw new InvalidOperationException($"cannot declare stream '{declaration.Name}': {directory} exists and is not a stream directory (left untouched)");
                }

                _defaults.FileIO.DeleteDirectory(directory);
            }

            await _declarations.SetAsync(DeclarationKey(declaration.Name), StreamDeclarationCodec.Serialize(declaration), cancellationToken).ConfigureAwait(false);
            var stream = OpenStream(declaration);
            _streams[declaration.Name] = stream;
            if (_topology is { } topology)
            {
                StreamCapture.Apply(topology, declaration);
            }

            return (stream, true);
        }
        finally
        {
            _structure.Release();
        }
    }

    /// <summary>Deletes a stream, its bindings, its records and its groups' offsets. False when it does not exist.</summary>
    public async ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        await _structure.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_disposed || !_streams.TryRemove(name, out var stream))
            {
                return false;
            }

            if (_topology is { } topology)
            {
                StreamCapture.Remove(topology, name);
            }

            // The declaration goes first and durably: after a crash the rest is a leftover, removed on open.
            await _declarations.DeleteAsync(DeclarationKey(name), CancellationToken.None).ConfigureAwait(false);
            for (var p = 0; p < stream.PartitionCount; p++)
            {
                await _declarations.DeleteAsync(StartKey(name, p), CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var key in _groups.Keys.Where(k => string.Equals(k.Stream, name, StringComparison.Ordinal)))
            {
                _groups.TryRemove(key, out _);
            }

            await _offsets.DeleteAsync(name).ConfigureAwait(false);
            stream.IsClosed = true;
            await stream.Log.DisposeAsync().ConfigureAwait(false);
            _defaults.FileIO.DeleteDirectory(Path.Combine(_root, name));
            _defaults.FileIO.SyncDirectory(_root);
            return true;
        }
        finally
        {
            _structure.Release();
        }
    }

    /// <summary>
    /// Truncates: records below <paramref name="beforeOffset"/> (default: the end, i.e. everything) in
    /// <paramref name="partition"/> (default: all) are never served again; whole segments below are deleted.
    /// Durable when it returns. Returns the new start offset per partition.
    /// </summary>
    public async ValueTask<IReadOnlyList<long>> TruncateAsync(string name, int? partition = null, long? beforeOffset = null, CancellationToken cancellationToken = default)
    {
        await _structure.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = Get(name) ?? throw new KeyNotFoundException($"stream '{name}' does not exist");
            if (partition is { } only && (only < 0 || only >= stream.PartitionCount))
            {
                throw new StreamOffsetException($"stream '{name}' has partitions 0..{stream.PartitionCount - 1} (asked for {only})");
            }

            if (beforeOffset is < 0)
            {
                throw new StreamOffsetException($"cannot truncate before a negative offset ({beforeOffset})");
            }

            var starts = new List<long>();
            for (var p = 0; p < stream.PartitionCount; p++)
            {
                if (partition is { } target && target != p)
                {
                    starts.Add(stream.StartOffset(p));
                    continue;
                }

                var before = Math.Min(beforeOffset ?? long.MaxValue, stream.EndOffset(p));
                if (before > stream.LogicalStart(p))
                {
                    // Durable first: after a crash the truncation holds even if the segments were not deleted yet.
                    var value = new byte[8];
                    BinaryPrimitives.WriteInt64LittleEndian(value, before);
                    await _declarations.SetAsync(StartKey(name, p), value, cancellationToken).ConfigureAwait(false);
                    stream.Truncate(p, before);
                }

                starts.Add(stream.StartOffset(p));
            }

            return starts;
        }
        finally
        {
            _structure.Release();
        }
    }

    /// <summary>The group (created on first use; its committed offsets are durable, its members are not).</summary>
    /// <exception cref="KeyNotFoundException">No such stream.</exception>
    /// <exception cref="ArgumentException">Invalid group name.</exception>
    public ConsumerGroup Group(string stream, string group)
    {
        if (StreamNames.CheckGroup(group) is { } reason)
        {
            throw new ArgumentException($"Invalid group name '{group}': {reason}.", nameof(group));
        }

        var log = Get(stream) ?? throw new KeyNotFoundException($"stream '{stream}' does not exist");
        return _groups.GetOrAdd((stream, group), key => new ConsumerGroup(log, key.Group, _offsets, _time, _options.Groups));
    }

    /// <summary>Every group of <paramref name="stream"/> with live members or committed offsets.</summary>
    public IReadOnlyList<ConsumerGroupInfo> Groups(string stream)
    {
        var log = Get(stream) ?? throw new KeyNotFoundException($"stream '{stream}' does not exist");
        var names = _offsets.Groups(stream)
            .Concat(_groups.Keys.Where(k => string.Equals(k.Stream, stream, StringComparison.Ordinal)).Select(k => k.Group))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        return [.. names.Select(g => Group(log.StreamName, g).Info)];
    }

    public IReadOnlyList<(string Stream, ConsumerGroupInfo Group)> AllGroups() =>
        [.. All.SelectMany(s => Groups(s.StreamName).Select(g => (s.StreamName, g)))];

    /// <summary>
    /// Binds every stream's capture filters on <paramref name="topology"/>'s default exchange (and unbinds filters
    /// no longer declared); later declares and deletes keep it in step. Call once, after the broker is built.
    /// </summary>
    public void AttachTopology(IBrokerTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _structure.Wait();
        try
        {
            _topology = topology;
            foreach (var stream in _streams.Values)
            {
                StreamCapture.Apply(topology, stream.Declaration);
            }
        }
        finally
        {
            _structure.Release();
        }
    }

    /// <summary>Retention by age and size on every partition, and expiry of silent group members. Thread-safe; never throws.</summary>
    public void RunMaintenance()
    {
        if (Interlocked.Exchange(ref _maintaining, 1) != 0)
        {
            return;
        }

        try
        {
            foreach (var stream in _streams.Values)
            {
                try
                {
                    stream.EnforceRetention();
                }
                catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
                {
                    // Retried on the next tick; a failing log reports itself through its appends (R11).
                }
            }

            foreach (var group in _groups.Values)
            {
                group.Sweep();
            }
        }
        finally
        {
            Volatile.Write(ref _maintaining, 0);
        }
    }
}

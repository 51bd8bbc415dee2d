namespace EdgeBroker.Core.Sessions;

using EdgeBroker.Core.Persistence;
using EdgeBroker.Storage;

/// <summary>
/// <see cref="ISessionStore"/> on one compacted <see cref="KeyValueLog"/> (key = session key, value = the
/// adapter's state bytes, delete = tombstone). Compaction keeps the last state per session, so the log stays
/// about as large as the live sessions however often they are rewritten.
/// <code>
///  &lt;data&gt;/sessions/   compacted key-value log:  "mqtt/&lt;client id&gt;" → adapter state bytes
/// </code>
/// Thread-safe (the key-value log serializes writes through its group commit and guards its map with a lock).
/// </summary>
public sealed class LogSessionStore : ISessionStore
{
    private readonly KeyValueLog _log;

    private LogSessionStore(KeyValueLog log, RecoveryReport report)
    {
        _log = log;
        RecoveryReport = report;
    }

    /// <summary>What opening the log found, for the host to log.</summary>
    public RecoveryReport RecoveryReport { get; }

    public string Directory => _log.Directory;

    public long SizeBytes => _log.SizeBytes;

    public int Count => _log.Count;

    /// <summary>Opens (creating if needed) the session store in <paramref name="directory"/> and replays it.</summary>
    public static LogSessionStore Open(string directory, LogOptions options)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(options);

        // Session records are small and rewritten often: a low threshold lets compaction keep the log short.
        var log = KeyValueLog.Open(directory, options, out var report, compactionMinRecords: 256, compactionDeadRatio: 0.5);
        return new LogSessionStore(log, report);
    }

    public IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> LoadAll() => _log.Snapshot();

    public bool TryGet(string key, out ReadOnlyMemory<byte> state) => _log.TryGet(key, out state);

    public ValueTask SaveAsync(string key, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default) =>
        _log.SetAsync(key, state, cancellationToken);

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        _log.DeleteAsync(key, cancellationToken);

    public ValueTask DisposeAsync() => _log.DisposeAsync();
}

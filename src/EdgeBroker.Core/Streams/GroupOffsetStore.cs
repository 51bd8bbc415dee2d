namespace EdgeBroker.Core.Streams;

using System.Buffers.Binary;
using System.Globalization;
using EdgeBroker.Core.Persistence;

/// <summary>
/// Committed consumer-group offsets on a compacted <see cref="KeyValueLog"/>. A commit completes once durable
/// under the log's fsync policy (R5: a confirmed commit survives a crash).
/// <code>
///  key   = "&lt;stream&gt;/&lt;group&gt;/&lt;partition&gt;"   (names use the safe alphabet, so '/' separates unambiguously)
///  value = i64 little-endian: the next offset the group reads in that partition (Kafka semantics)
/// </code>
/// Thread-safety: as <see cref="KeyValueLog"/> (thread-safe).
/// </summary>
internal sealed class GroupOffsetStore
{
    private readonly KeyValueLog _log;

    public GroupOffsetStore(KeyValueLog log) => _log = log;

    public KeyValueLog Log => _log;

    public long? Get(string stream, string group, int partition) =>
        _log.TryGet(Key(stream, group, partition), out var value) && value.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(value.Span) : null;

    public async ValueTask CommitAsync(string stream, string group, int partition, long offset, CancellationToken cancellationToken)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, offset);
        await _log.SetAsync(Key(stream, group, partition), value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Groups with at least one commit on <paramref name="stream"/>.</summary>
    public IReadOnlyList<string> Groups(string stream)
    {
        var prefix = stream + "/";
        return [.. _log.Snapshot()
            .Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(e => e.Key[prefix.Length..e.Key.LastIndexOf('/')])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Forgets every commit of <paramref name="stream"/> (it was deleted), optionally of one group only.</summary>
    public async ValueTask DeleteAsync(string stream, string? group = null)
    {
        var prefix = group is null ? stream + "/" : stream + "/" + group + "/";
        foreach (var entry in _log.Snapshot())
        {
            if (entry.Key.StartsWith(prefix, StringComparison.Ordinal))
            {
                await _log.DeleteAsync(entry.Key).ConfigureAwait(false);
            }
        }
    }

    private static string Key(string stream, string group, int partition) =>
        string.Concat(stream, "/", group, "/", partition.ToString(CultureInfo.InvariantCulture));
}

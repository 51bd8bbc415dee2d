namespace EdgeBroker.Core.Sessions;

using System.Collections.Concurrent;

/// <summary>
/// A non-durable <see cref="ISessionStore"/>: sessions survive disconnects but not a restart. Used by tests and
/// by hosts without a data directory. Thread-safe (a concurrent dictionary).
/// </summary>
public sealed class InMemorySessionStore : ISessionStore
{
    private readonly ConcurrentDictionary<string, ReadOnlyMemory<byte>> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> LoadAll() => [.. _sessions];

    public bool TryGet(string key, out ReadOnlyMemory<byte> state)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _sessions.TryGetValue(key, out state);
    }

    public ValueTask SaveAsync(string key, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _sessions[key] = state;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return ValueTask.FromResult(_sessions.TryRemove(key, out _));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

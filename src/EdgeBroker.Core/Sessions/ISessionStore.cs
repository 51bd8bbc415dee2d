namespace EdgeBroker.Core.Sessions;

/// <summary>
/// Durable per-client session state for protocol adapters (MQTT persistent sessions): a map from a session key
/// (the adapter's client id, namespaced by the adapter) to an opaque blob the adapter serializes itself.
/// The core does not interpret the bytes; it only keeps the last value per key across restarts.
/// Implementations are thread-safe. A RabbitMQ-backed implementation can replace the log one (DESIGN.md "Scale-out").
/// </summary>
public interface ISessionStore : IAsyncDisposable
{
    /// <summary>Sessions stored right now.</summary>
    int Count { get; }

    /// <summary>Every stored session at this instant (used once at start to restore sessions), in no particular order.</summary>
    IReadOnlyList<KeyValuePair<string, ReadOnlyMemory<byte>>> LoadAll();

    bool TryGet(string key, out ReadOnlyMemory<byte> state);

    /// <summary>Stores the state; completes once it is durable under the store's fsync policy (R1, R4).</summary>
    /// <remarks>The store keeps a reference to <paramref name="state"/> (no copy): the caller hands over ownership.</remarks>
    ValueTask SaveAsync(string key, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default);

    /// <summary>Removes the session; completes once the removal is durable. Returns whether it existed.</summary>
    ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken = default);
}

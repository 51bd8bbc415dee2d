namespace EdgeBroker.Core.Clients;

using System.Collections.Concurrent;
using EdgeBroker.Core.Messages;

/// <summary>
/// The in-process <see cref="IClientRegistry"/>: a concurrent map from a registration sequence number to the
/// registration, plus one interlocked counter per protocol so the stats feed reads counts without a scan.
/// Keyed by sequence, not client id: an MQTT takeover or two STOMP connections with the same client-id header
/// overlap briefly, and each must remove only its own entry. Thread-safe.
/// </summary>
public sealed class ClientRegistry : IClientRegistry
{
    private readonly ConcurrentDictionary<long, ClientRegistration> _clients = new();
    private readonly int[] _counts = new int[Enum.GetValues<ProtocolKind>().Length];
    private long _sequence;

    public IReadOnlyList<ClientRegistration> Clients =>
        [.. _clients.OrderBy(c => c.Key).Select(c => c.Value)];

    public IDisposable Register(ClientRegistration client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var id = Interlocked.Increment(ref _sequence);
        _clients[id] = client;
        Interlocked.Increment(ref _counts[(int)client.Protocol]);
        return new Handle(this, id);
    }

    public int Count(ProtocolKind protocol) => (uint)protocol < (uint)_counts.Length ? Volatile.Read(ref _counts[(int)protocol]) : 0;

    public int Disconnect(ProtocolKind protocol, string clientId, string reason)
    {
        var closed = 0;
        foreach (var client in _clients.Values)
        {
            if (client.Protocol == protocol && string.Equals(client.ClientId, clientId, StringComparison.Ordinal))
            {
                client.Disconnect(reason);
                closed++;
            }
        }

        return closed;
    }

    private void Remove(long id)
    {
        if (_clients.TryRemove(id, out var client))
        {
            Interlocked.Decrement(ref _counts[(int)client.Protocol]);
        }
    }

    private sealed class Handle(ClientRegistry owner, long id) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(id);
            }
        }
    }
}

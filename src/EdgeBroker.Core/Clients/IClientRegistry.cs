namespace EdgeBroker.Core.Clients;

using EdgeBroker.Core.Messages;

/// <summary>
/// The connected clients of every adapter (MQTT, STOMP, SignalR), for the dashboard's client list, per-protocol
/// connection counts and an operator's disconnect. Adapters register once a client is connected (after
/// authentication) and dispose the returned handle when the connection ends. Thread-safe.
/// </summary>
public interface IClientRegistry
{
    /// <summary>Adds a client; dispose the result to remove exactly this registration (a later one with the same id stays).</summary>
    IDisposable Register(ClientRegistration client);

    /// <summary>A snapshot of the connected clients, oldest first.</summary>
    IReadOnlyList<ClientRegistration> Clients { get; }

    /// <summary>Connected clients of one protocol (O(1)).</summary>
    int Count(ProtocolKind protocol);

    /// <summary>Asks every connection registered as <paramref name="protocol"/>/<paramref name="clientId"/> to close; returns how many.</summary>
    int Disconnect(ProtocolKind protocol, string clientId, string reason);
}

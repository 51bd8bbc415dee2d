namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>Connected clients per protocol (from the client registry).</summary>
public sealed record HubConnectionCounts(int Mqtt, int Stomp, int Signalr);

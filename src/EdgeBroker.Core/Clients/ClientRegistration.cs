namespace EdgeBroker.Core.Clients;

using EdgeBroker.Core.Messages;

/// <summary>
/// What an adapter tells the <see cref="IClientRegistry"/> about one connected client: who it is, since when,
/// and how to read its live state or close it. The callbacks run on the caller's thread (an HTTP request), so
/// they must be thread-safe and must not block. Immutable.
/// </summary>
public sealed record ClientRegistration(ProtocolKind Protocol, string ClientId, string? UserName, string? RemoteAddress, DateTimeOffset ConnectedAt)
{
    /// <summary>Live subscriptions of the client; null when the adapter cannot tell cheaply.</summary>
    public Func<int>? SubscriptionCount { get; init; }

    /// <summary>Closes the connection (an operator's request); the argument is the reason for the log.</summary>
    public required Action<string> Disconnect { get; init; }
}

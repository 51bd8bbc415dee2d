namespace EdgeBroker.Server.Http.Contracts;

/// <summary>One connected client in <c>GET /api/clients</c>. <see cref="Subscriptions"/> is null when the adapter cannot tell.</summary>
public sealed record ClientResponse(string Protocol, string ClientId, string? UserName, string? RemoteAddress, DateTimeOffset ConnectedAt, int? Subscriptions);

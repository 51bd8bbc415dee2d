namespace EdgeBroker.Stomp.Server;

/// <summary>Who is on the other end of one transport: the connection id (the STOMP <c>session</c>) and the peer address.</summary>
public sealed record StompConnectionInfo(string ConnectionId, string? RemoteAddress, string Transport = "tcp");

namespace EdgeBroker.Stomp.Server;

/// <summary>
/// Who is on the other end of one transport: the connection id (the STOMP <c>session</c>), the peer address, and
/// the name of a client certificate the TLS handshake verified (null without one).
/// </summary>
public sealed record StompConnectionInfo(string ConnectionId, string? RemoteAddress, string Transport = "tcp", string? CertificateName = null);

namespace EdgeBroker.Stomp.Server;

/// <summary>Why a STOMP connection ended; logged once per connection. Values are stable (logs, metrics).</summary>
public enum StompCloseReason : byte
{
    /// <summary>The client sent DISCONNECT.</summary>
    ClientDisconnect = 0,

    /// <summary>The peer closed the transport without DISCONNECT.</summary>
    PeerClosed = 1,

    /// <summary>A frame the codec or the session refused; an ERROR was sent.</summary>
    ProtocolError = 2,

    /// <summary>No heart-beat or frame within the negotiated interval × tolerance.</summary>
    HeartbeatTimeout = 3,

    /// <summary>No CONNECT within <see cref="StompServerOptions.ConnectTimeout"/>.</summary>
    ConnectTimeout = 4,

    /// <summary>Login refused by the authorization hook.</summary>
    AuthenticationFailed = 5,

    /// <summary>The broker is not running (starting or stopping).</summary>
    ServerUnavailable = 6,

    /// <summary>A publish or operation the broker refused; an ERROR was sent.</summary>
    Refused = 7,

    /// <summary>The host is shutting down.</summary>
    ServerShutdown = 8,

    /// <summary>An unexpected exception; logged at Error.</summary>
    InternalError = 9,

    /// <summary>An operator closed the connection (HTTP API / dashboard); an ERROR was sent.</summary>
    AdministrativeClose = 10,
}

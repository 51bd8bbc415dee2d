namespace EdgeBroker.Stomp.Codec;

/// <summary>
/// The STOMP frame commands (STOMP 1.2 "Frames and Headers"), plus <see cref="Heartbeat"/> for a bare
/// EOL between frames. Values are stable: they name wire commands in logs and metrics.
/// </summary>
public enum StompCommand : byte
{
    /// <summary>A bare LF or CRLF between frames (1.1+ heart-beat; tolerated in 1.0 as frame padding).</summary>
    Heartbeat = 0,
    Connect = 1,
    Stomp = 2,
    Connected = 3,
    Send = 4,
    Subscribe = 5,
    Unsubscribe = 6,
    Ack = 7,
    Nack = 8,
    Begin = 9,
    Commit = 10,
    Abort = 11,
    Disconnect = 12,
    Message = 13,
    Receipt = 14,
    Error = 15,
}

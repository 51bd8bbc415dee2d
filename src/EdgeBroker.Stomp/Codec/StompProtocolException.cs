namespace EdgeBroker.Stomp.Codec;

/// <summary>
/// The only exception <see cref="StompFrameReader"/> throws for bad input. The connection cannot
/// continue after it (the reader has lost frame sync): the session answers with an ERROR frame and
/// closes. Messages are for logs, never echoed verbatim to the peer.
/// </summary>
public sealed class StompProtocolException : Exception
{
    public StompProtocolException(StompErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public StompErrorKind Kind { get; }
}

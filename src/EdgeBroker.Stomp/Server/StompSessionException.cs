namespace EdgeBroker.Stomp.Server;

/// <summary>
/// Thrown by a frame handler to end the connection with an ERROR frame: <see cref="Exception.Message"/> goes
/// into the <c>message</c> header (so it must be generic and never echo secrets), <see cref="Detail"/> into the
/// body, <see cref="ReceiptId"/> into <c>receipt-id</c> when the offending frame asked for a receipt.
/// </summary>
public sealed class StompSessionException : Exception
{
    public StompSessionException(string message, StompCloseReason reason = StompCloseReason.ProtocolError, string? receiptId = null, string? detail = null)
        : base(message)
    {
        Reason = reason;
        ReceiptId = receiptId;
        Detail = detail;
    }

    public StompSessionException()
        : this("protocol error")
    {
    }

    public StompSessionException(string message)
        : this(message, StompCloseReason.ProtocolError)
    {
    }

    public StompSessionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = StompCloseReason.ProtocolError;
    }

    public StompCloseReason Reason { get; }

    public string? ReceiptId { get; }

    public string? Detail { get; }

    /// <summary>Extra ERROR headers (e.g. <c>version</c> when negotiation failed).</summary>
    public IReadOnlyList<Codec.StompHeader> ExtraHeaders { get; init; } = [];
}

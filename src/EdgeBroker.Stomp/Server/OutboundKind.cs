namespace EdgeBroker.Stomp.Server;

/// <summary>What one outbound queue entry asks the writer to do.</summary>
internal enum OutboundKind : byte
{
    /// <summary>A ready frame (CONNECTED, RECEIPT, ERROR).</summary>
    Frame = 0,

    /// <summary>One EOL.</summary>
    Heartbeat = 1,

    /// <summary>A live /topic/ message for one subscription (counted against the live bound unless retained).</summary>
    Live = 2,

    /// <summary>A queue delivery for one subscription (bounded by the subscription's prefetch).</summary>
    Queue = 3,

    /// <summary>Flush what came before, then stop writing.</summary>
    Close = 4,

    /// <summary>Writes nothing; makes the writer flush and settle pending ack:auto acknowledgements.</summary>
    Flush = 5,

    /// <summary>A stream record for one <c>/stream/</c> subscription (bounded by its prefetch).</summary>
    Stream = 6,
}

namespace EdgeBroker.Stomp.Server;

/// <summary>The SUBSCRIBE <c>ack</c> header. Values are stable (logs, metrics).</summary>
public enum StompAckMode : byte
{
    /// <summary>Acknowledged by the server once written to the connection (at-most-once).</summary>
    Auto = 0,

    /// <summary>An ACK acknowledges the message and every earlier one of the subscription (cumulative).</summary>
    Client = 1,

    /// <summary>An ACK or NACK settles exactly one message.</summary>
    ClientIndividual = 2,
}

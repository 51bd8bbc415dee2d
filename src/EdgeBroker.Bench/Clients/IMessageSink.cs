namespace EdgeBroker.Bench.Clients;

/// <summary>What a receiving client hands every message payload to (called on its read loop).</summary>
public interface IMessageSink
{
    void OnMessage(ReadOnlySpan<byte> payload, long receivedTicks);
}

/// <summary>What a publishing client tells about acknowledgements (PUBACK/PUBCOMP/RECEIPT), in send order.</summary>
public interface IAckSink
{
    /// <summary><paramref name="token"/> is the MQTT packet id or the STOMP receipt number of the acknowledged message.</summary>
    void OnAck(long token, long receivedTicks);
}

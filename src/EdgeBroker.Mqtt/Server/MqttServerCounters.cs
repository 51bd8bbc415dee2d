namespace EdgeBroker.Mqtt.Server;

/// <summary>MQTT adapter counters for /metrics and <c>$SYS</c>. Thread-safe (interlocked).</summary>
public sealed class MqttServerCounters
{
    private int _connectedClients;
    private long _totalConnections;
    private long _droppedLive;
    private long _oversizeDropped;
    private long _protocolErrors;

    public int ConnectedClients => Volatile.Read(ref _connectedClients);

    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>Live messages dropped because a connection's outbound buffer was full (overflow policy, F14).</summary>
    public long DroppedLive => Interlocked.Read(ref _droppedLive);

    /// <summary>Messages not sent because they exceeded the client's Maximum Packet Size.</summary>
    public long OversizeDropped => Interlocked.Read(ref _oversizeDropped);

    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    internal void Connected()
    {
        Interlocked.Increment(ref _connectedClients);
        Interlocked.Increment(ref _totalConnections);
    }

    internal void Disconnected() => Interlocked.Decrement(ref _connectedClients);

    internal void DroppedLiveMessage() => Interlocked.Increment(ref _droppedLive);

    internal void DroppedOversize() => Interlocked.Increment(ref _oversizeDropped);

    internal void ProtocolError() => Interlocked.Increment(ref _protocolErrors);
}

namespace EdgeBroker.Server.Hub;

/// <summary>SignalR hub counters for /metrics. Thread-safe (interlocked).</summary>
public sealed class HubCounters
{
    private int _connected;
    private long _totalConnections;
    private long _dropped;

    /// <summary>Hub connections open now (authenticated).</summary>
    public int Connected => Volatile.Read(ref _connected);

    public long TotalConnections => Interlocked.Read(ref _totalConnections);

    /// <summary>Live messages dropped because a connection's outbound channel was full (<c>edgebroker_signalr_dropped_total</c>).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void CountConnected()
    {
        Interlocked.Increment(ref _connected);
        Interlocked.Increment(ref _totalConnections);
    }

    internal void CountDisconnected() => Interlocked.Decrement(ref _connected);

    internal void CountDropped() => Interlocked.Increment(ref _dropped);
}

namespace EdgeBroker.Core;

using System.Threading;

/// <summary>Monotonic broker-wide counters. Thread-safe (interlocked); read by /metrics and $SYS.</summary>
public sealed class BrokerCounters
{
    private long _messagesIn;
    private long _messagesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _messagesDropped;
    private long _publishesRefused;
    private long _retainedDelivered;

    public long MessagesIn => Volatile.Read(ref _messagesIn);

    public long MessagesOut => Volatile.Read(ref _messagesOut);

    public long BytesIn => Volatile.Read(ref _bytesIn);

    public long BytesOut => Volatile.Read(ref _bytesOut);

    /// <summary>Live deliveries dropped by a session's overflow policy (never durable targets, R12).</summary>
    public long MessagesDropped => Volatile.Read(ref _messagesDropped);

    /// <summary>Publishes answered negatively: not authorized, invalid topic, or a durable target rejected/failed.</summary>
    public long PublishesRefused => Volatile.Read(ref _publishesRefused);

    /// <summary>Retained messages handed to new subscriptions (also counted in <see cref="MessagesOut"/>).</summary>
    public long RetainedDelivered => Volatile.Read(ref _retainedDelivered);

    public void CountIn(int bytes)
    {
        Interlocked.Increment(ref _messagesIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void CountOut(int bytes)
    {
        Interlocked.Increment(ref _messagesOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    public void CountDropped() => Interlocked.Increment(ref _messagesDropped);

    public void CountRefused() => Interlocked.Increment(ref _publishesRefused);

    public void CountRetainedDelivered() => Interlocked.Increment(ref _retainedDelivered);
}

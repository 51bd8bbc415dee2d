namespace EdgeBroker.Core.Limits;

using EdgeBroker.Core.Broker;

/// <summary>
/// What holds back a publishing client, shared by every connection of the adapters: the broker's memory alarm
/// and a per-connection message rate (a token bucket of <see cref="MessagesPerSecond"/>, <see cref="BurstMessages"/>
/// deep). Each connection gets its own <see cref="PublishGate"/> from <see cref="CreateGate"/>. Like the byte-rate
/// limit, both hold the publisher back (its next frame is not read) rather than drop or refuse: EMQX's
/// <c>messages_rate</c> and RabbitMQ's blocked publishers work the same way.
/// Thread-safety: immutable settings; the counters are interlocked.
/// </summary>
public sealed class PublishLimits
{
    private long _rateHeld;
    private long _rateHeldTicks;
    private long _memoryHeld;

    /// <param name="messagesPerSecond">Publishes one connection may make per second; 0 = unlimited.</param>
    /// <param name="burstMessages">Publishes allowed at once before the rate applies; 0 = one second's worth (at least 1).</param>
    public PublishLimits(ResourceAlarms alarms, double messagesPerSecond, double burstMessages, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(messagesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(burstMessages);
        Alarms = alarms;
        MessagesPerSecond = messagesPerSecond;
        BurstMessages = burstMessages > 0 ? burstMessages : Math.Max(1, messagesPerSecond);
        Time = time;
    }

    /// <summary>No rate limit and an alarm set nobody raises: for adapters run without a host.</summary>
    public static PublishLimits Unlimited { get; } = new(new ResourceAlarms(), 0, 0, TimeProvider.System);

    public ResourceAlarms Alarms { get; }

    public double MessagesPerSecond { get; }

    public double BurstMessages { get; }

    public TimeProvider Time { get; }

    /// <summary>Publishes held back because their connection was over <see cref="MessagesPerSecond"/>.</summary>
    public long RateHeld => Interlocked.Read(ref _rateHeld);

    /// <summary>Total time publishers were held by the rate limit.</summary>
    public TimeSpan RateHeldTime => TimeSpan.FromTicks(Interlocked.Read(ref _rateHeldTicks));

    /// <summary>Publishes held back because the memory alarm was on.</summary>
    public long MemoryHeld => Interlocked.Read(ref _memoryHeld);

    public PublishGate CreateGate() => new(this, MessagesPerSecond > 0 ? new TokenBucket(MessagesPerSecond, BurstMessages, Time) : null);

    internal void CountRateHeld(TimeSpan wait)
    {
        Interlocked.Increment(ref _rateHeld);
        Interlocked.Add(ref _rateHeldTicks, wait.Ticks);
    }

    internal void CountMemoryHeld() => Interlocked.Increment(ref _memoryHeld);
}

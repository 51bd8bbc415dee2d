namespace EdgeBroker.Bench.Stats;

using System.Diagnostics;

/// <summary>
/// When each message of one publisher is meant to be sent. With a fixed rate, message k is due at
/// start + k / rate, whether or not the previous one went out on time; latency is measured from this intended
/// time, so a stall of the broker (or of the tool) is charged to every message that should have been sent during
/// it: the coordinated-omission correction of wrk2 and HdrHistogram. With rate 0 there is no schedule and
/// latency is measured from the actual send.
/// Immutable.
/// </summary>
public sealed class RateSchedule
{
    private readonly long _startTicks;
    private readonly double _ticksPerMessage;

    /// <param name="messagesPerSecond">This publisher's rate; 0 = as fast as the window allows.</param>
    public RateSchedule(long startTicks, double messagesPerSecond)
    {
        _startTicks = startTicks;
        _ticksPerMessage = messagesPerSecond > 0 ? Stopwatch.Frequency / messagesPerSecond : 0;
    }

    public bool IsFixedRate => _ticksPerMessage > 0;

    /// <summary>The intended send time of message <paramref name="index"/> (Stopwatch ticks); with no rate, <paramref name="nowTicks"/>.</summary>
    public long IntendedTicks(long index, long nowTicks) =>
        IsFixedRate ? _startTicks + (long)(index * _ticksPerMessage) : nowTicks;

    /// <summary>How many messages are due by <paramref name="nowTicks"/> (fixed rate only).</summary>
    public long DueBy(long nowTicks) =>
        !IsFixedRate || nowTicks < _startTicks ? 0 : (long)((nowTicks - _startTicks) / _ticksPerMessage) + 1;

    /// <summary>Latency in microseconds from the intended send time to <paramref name="receivedTicks"/>.</summary>
    public static long LatencyMicros(long intendedTicks, long receivedTicks) =>
        (receivedTicks - intendedTicks) * 1_000_000 / Stopwatch.Frequency;
}

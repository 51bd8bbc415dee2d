namespace EdgeBroker.Bench.Scenarios;

using EdgeBroker.Bench.Stats;

/// <summary>
/// The shared state of one run: counters, the latency histogram, the measurement window and the publishers
/// (receivers release their end-to-end windows). Counters are interlocked; safe from every thread.
/// </summary>
public sealed class BenchRun
{
    private long _sent;
    private long _acked;
    private long _received;
    private long _unknown;
    private long _stalls;

    public long StartTicks { get; private set; } = long.MaxValue;

    public long MeasureStartTicks { get; private set; } = long.MaxValue;

    public long MeasureEndTicks { get; private set; } = long.MaxValue;

    /// <summary>Starts the clock (receivers exist before it: nothing they get before this counts for latency).</summary>
    public void SetClock(long startTicks, long measureStartTicks, long measureEndTicks)
    {
        MeasureEndTicks = measureEndTicks;
        MeasureStartTicks = measureStartTicks;
        StartTicks = startTicks;
    }

    public LatencyHistogram Latency { get; } = new();

    public IReadOnlyList<Publisher> Publishers { get; set; } = [];

    public long Sent => Volatile.Read(ref _sent);

    public long Acked => Volatile.Read(ref _acked);

    public long Received => Volatile.Read(ref _received);

    /// <summary>Payloads without a readable stamp (another run's leftovers, foreign publishers).</summary>
    public long Unknown => Volatile.Read(ref _unknown);

    /// <summary>Times a QoS 0 publisher gave up waiting for its end-to-end window (a message was probably lost).</summary>
    public long Stalls => Volatile.Read(ref _stalls);

    public void AddSent(int count) => Interlocked.Add(ref _sent, count);

    public void AddAcked() => Interlocked.Increment(ref _acked);

    public void AddReceived() => Interlocked.Increment(ref _received);

    public void AddUnknown() => Interlocked.Increment(ref _unknown);

    public void AddStall() => Interlocked.Increment(ref _stalls);

    /// <summary>Latency counts only for messages meant to be sent inside the measurement window (after warm-up).</summary>
    public void RecordLatency(long intendedTicks, long receivedTicks)
    {
        if (intendedTicks >= MeasureStartTicks && intendedTicks < MeasureEndTicks)
        {
            Latency.Record(RateSchedule.LatencyMicros(intendedTicks, receivedTicks));
        }
    }
}

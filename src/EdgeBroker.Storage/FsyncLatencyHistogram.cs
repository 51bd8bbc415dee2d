namespace EdgeBroker.Storage;

using System.Diagnostics;

/// <summary>
/// Cumulative histogram of fsync durations (data fsyncs of the group commit and segment rolls), shared by every
/// log opened with the same <see cref="LogOptions"/> so the host can expose one Prometheus histogram.
/// Bucket bounds follow the latencies a disk actually shows: 50 µs (battery-backed cache) to 1 s (a stalled
/// device); slower fsyncs land in +Inf.
/// Thread-safety: <see cref="Record"/> is lock-free (one interlocked increment per bucket hit); snapshots read
/// each counter atomically but not all of them at one instant, which Prometheus tolerates.
/// </summary>
public sealed class FsyncLatencyHistogram
{
    private static readonly double[] BoundsSeconds = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    private readonly long[] _counts = new long[BoundsSeconds.Length + 1];
    private long _count;
    private long _sumTicks;

    /// <summary>Upper bounds of the finite buckets, in seconds.</summary>
    public static IReadOnlyList<double> UpperBoundsSeconds => BoundsSeconds;

    public long Count => Interlocked.Read(ref _count);

    public double SumSeconds => (double)Interlocked.Read(ref _sumTicks) / Stopwatch.Frequency;

    /// <summary>Records one fsync that took <paramref name="elapsedTicks"/> <see cref="Stopwatch"/> ticks.</summary>
    public void Record(long elapsedTicks)
    {
        var seconds = (double)elapsedTicks / Stopwatch.Frequency;
        var bucket = BoundsSeconds.Length;
        for (var i = 0; i < BoundsSeconds.Length; i++)
        {
            if (seconds <= BoundsSeconds[i])
            {
                bucket = i;
                break;
            }
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Cumulative counts per bucket (the Prometheus <c>le</c> convention), the last one being +Inf.</summary>
    public long[] CumulativeCounts()
    {
        var result = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            result[i] = running;
        }

        return result;
    }
}

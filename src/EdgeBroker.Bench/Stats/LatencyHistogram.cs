namespace EdgeBroker.Bench.Stats;

/// <summary>
/// A log-linear histogram of latencies in microseconds (the HdrHistogram idea, small): values below 128 get
/// one bucket each; above, every power of two is split into 64 buckets, so a reported percentile is within
/// 1/64 (1.6 %) of the true value. The maximum is kept exactly.
/// Thread-safe: <see cref="Record"/> uses interlocked increments, so all receivers can share one instance.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 128;
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int LinearBits = 7; // log2(LinearLimit)
    private const int MaxExponent = 46; // about 2.2 years in µs: anything above is clamped

    private readonly long[] _counts = new long[LinearLimit + ((MaxExponent - LinearBits + 1) * SubBuckets)];
    private long _count;
    private long _max;

    public long Count => Volatile.Read(ref _count);

    public long Max => Volatile.Read(ref _max);

    public void Record(long microseconds)
    {
        if (microseconds < 0)
        {
            microseconds = 0;
        }

        Interlocked.Increment(ref _counts[IndexOf(microseconds)]);
        Interlocked.Increment(ref _count);
        var max = Volatile.Read(ref _max);
        while (microseconds > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, microseconds, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>
    /// The smallest recorded value v such that at least <paramref name="percentile"/> % of the values are ≤ v
    /// (reported as the middle of v's bucket, never above the exact maximum). 0 when empty.
    /// </summary>
    public long Percentile(double percentile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var target = (long)Math.Ceiling(percentile / 100.0 * total);
        target = Math.Clamp(target, 1, total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= target)
            {
                return Math.Min(MidpointOf(i), Max);
            }
        }

        return Max;
    }

    internal static int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(value); // ≥ 7
        if (exponent > MaxExponent)
        {
            return LinearLimit + ((MaxExponent - LinearBits + 1) * SubBuckets) - 1;
        }

        var sub = (int)((value >> (exponent - SubBucketBits)) & (SubBuckets - 1));
        return LinearLimit + ((exponent - LinearBits) * SubBuckets) + sub;
    }

    internal static long LowerBoundOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var exponent = ((index - LinearLimit) / SubBuckets) + LinearBits;
        var sub = (index - LinearLimit) % SubBuckets;
        return (1L << exponent) + ((long)sub << (exponent - SubBucketBits));
    }

    private static long MidpointOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var exponent = ((index - LinearLimit) / SubBuckets) + LinearBits;
        var width = 1L << (exponent - SubBucketBits);
        return LowerBoundOf(index) + ((width - 1) / 2);
    }
}

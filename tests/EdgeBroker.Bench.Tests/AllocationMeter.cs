namespace EdgeBroker.Bench.Tests;

/// <summary>
/// Bytes allocated per call of an operation on the calling thread (GC.GetAllocatedBytesForCurrentThread), after
/// a warm-up, as the minimum over several batches so a one-off (a cache resize, a lazily built table) does not
/// count. This project runs with tiered compilation off, so the code measured is the optimised code from the
/// first call and the figure does not depend on when the JIT tiers up.
/// </summary>
internal static class AllocationMeter
{
    public static double BytesPerOperation(Func<int> operation, int iterations = 20_000, int batches = 5)
    {
        var sink = 0;
        for (var i = 0; i < 2_000; i++)
        {
            sink += operation();
        }

        var best = double.MaxValue;
        for (var b = 0; b < batches; b++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < iterations; i++)
            {
                sink += operation();
            }

            var after = GC.GetAllocatedBytesForCurrentThread();
            best = Math.Min(best, (double)(after - before) / iterations);
        }

        GC.KeepAlive(sink);
        return best;
    }
}

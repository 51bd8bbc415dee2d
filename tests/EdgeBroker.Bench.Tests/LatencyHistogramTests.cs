namespace EdgeBroker.Bench.Tests;

using EdgeBroker.Bench.Stats;

[Trait("Category", "Unit")]
public sealed class LatencyHistogramTests
{
    [Fact]
    public void EmptyHistogramReportsZero()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(0, histogram.Percentile(50));
        Assert.Equal(0, histogram.Max);
    }

    [Fact]
    public void SmallValuesAreExact()
    {
        var histogram = new LatencyHistogram();
        for (var v = 1; v <= 100; v++)
        {
            histogram.Record(v);
        }

        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(99.9));
        Assert.Equal(100, histogram.Percentile(100));
        Assert.Equal(100, histogram.Max);
    }

    [Fact]
    public void PercentilesOfAUniformRangeAreWithinTheBucketPrecision()
    {
        var histogram = new LatencyHistogram();
        for (var v = 1; v <= 1_000_000; v++)
        {
            histogram.Record(v);
        }

        AssertClose(500_000, histogram.Percentile(50));
        AssertClose(990_000, histogram.Percentile(99));
        AssertClose(999_000, histogram.Percentile(99.9));
        Assert.Equal(1_000_000, histogram.Max);
    }

    [Fact]
    public void AFewSlowOutliersShowInTheTailNotTheMedian()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 9_990; i++)
        {
            histogram.Record(100);
        }

        for (var i = 0; i < 10; i++)
        {
            histogram.Record(50_000);
        }

        Assert.Equal(100, histogram.Percentile(50));
        Assert.Equal(100, histogram.Percentile(99));
        AssertClose(50_000, histogram.Percentile(99.95));
        Assert.Equal(50_000, histogram.Max);
    }

    [Fact]
    public void NegativeValuesCountAsZero()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        Assert.Equal(0, histogram.Percentile(100));
    }

    [Fact]
    public void BucketsAreContiguousAndMonotonic()
    {
        for (var v = 1L; v < 1L << 40; v = (v * 3 / 2) + 1)
        {
            var index = LatencyHistogram.IndexOf(v);
            Assert.True(LatencyHistogram.LowerBoundOf(index) <= v, $"lower bound of {v}");
            Assert.True(LatencyHistogram.LowerBoundOf(index + 1) > v, $"next bound of {v}");
        }
    }

    [Fact]
    public void ConcurrentRecordsAreAllCounted()
    {
        var histogram = new LatencyHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record(i);
            }
        });
        Assert.Equal(80_000, histogram.Count);
        Assert.Equal(9_999, histogram.Max);
    }

    private static void AssertClose(long expected, long actual) =>
        Assert.InRange(actual, expected - (expected / 50), expected + (expected / 50));
}

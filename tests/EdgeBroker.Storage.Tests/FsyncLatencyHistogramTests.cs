namespace EdgeBroker.Storage.Tests;

using System.Diagnostics;

[Trait("Category", "Unit")]
public sealed class FsyncLatencyHistogramTests
{
    [Fact]
    public void PlacesDurationsInTheirBucketsCumulatively()
    {
        var histogram = new FsyncLatencyHistogram();
        histogram.Record(Stopwatch.Frequency / 100_000);   // 10 µs → first bucket (50 µs)
        histogram.Record(Stopwatch.Frequency / 500);       // 2 ms → 2.5 ms bucket
        histogram.Record(Stopwatch.Frequency * 3);         // 3 s → +Inf only

        var cumulative = histogram.CumulativeCounts();
        var bounds = FsyncLatencyHistogram.UpperBoundsSeconds;
        Assert.Equal(bounds.Count + 1, cumulative.Length);
        Assert.Equal(1, cumulative[0]);
        Assert.Equal(1, cumulative[IndexOf(bounds, 0.001)]);
        Assert.Equal(2, cumulative[IndexOf(bounds, 0.0025)]);
        Assert.Equal(2, cumulative[bounds.Count - 1]);
        Assert.Equal(3, cumulative[^1]);
        Assert.Equal(3, histogram.Count);
        Assert.InRange(histogram.SumSeconds, 3.002, 3.003);
    }

    [Fact]
    public async Task LogRecordsOneFsyncPerGroupCommitUnderAlways()
    {
        using var dir = new TempDirectory();
        var histogram = new FsyncLatencyHistogram();
        var options = new LogOptions { FsyncLatency = histogram };
        await using (var log = Log.Open(dir.Path, options, out _))
        {
            for (var i = 0; i < 5; i++)
            {
                await log.AppendAsync(TestRecords.Make(i));
            }
        }

        // Five sequential appends are five group commits; closing may add roll/close fsyncs on top.
        Assert.True(histogram.Count >= 5, $"recorded {histogram.Count}");
        Assert.Equal(histogram.Count, histogram.CumulativeCounts()[^1]);
    }

    [Fact]
    public async Task LogRecordsNoDataFsyncUnderNever()
    {
        using var dir = new TempDirectory();
        var histogram = new FsyncLatencyHistogram();
        await using var log = Log.Open(dir.Path, new LogOptions { FsyncLatency = histogram, Fsync = FsyncPolicy.Never }, out _);
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(TestRecords.Make(i));
        }

        Assert.Equal(0, histogram.Count);
    }

    private static int IndexOf(IReadOnlyList<double> bounds, double value)
    {
        for (var i = 0; i < bounds.Count; i++)
        {
            if (bounds[i] == value)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"no bucket {value}");
    }
}

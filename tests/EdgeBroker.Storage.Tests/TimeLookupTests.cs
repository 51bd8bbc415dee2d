namespace EdgeBroker.Storage.Tests;

using System.Text;

/// <summary>FindOffsetByTime against a brute-force oracle, with non-monotonic timestamps (F25).</summary>
[Trait("Category", "Unit")]
public sealed class TimeLookupTests
{
    [Fact]
    [Trait("Spec", "F25")]
    public async Task FindsTheFirstOffsetAtOrAfterATimestampEvenWhenTimestampsGoBackwards()
    {
        var io = new CrashableFileIO();
        var options = new LogOptions { SegmentBytes = 1024, IndexIntervalBytes = 128, MaxRecordBytes = 512, FileIO = io, Fsync = FsyncPolicy.Never };
        var random = new Random(7);
        var timestamps = new List<long>();
        var clock = 10_000L;
        await using (var log = Log.Open("/crashfs/t", options, out _))
        {
            for (var i = 0; i < 400; i++)
            {
                // Mostly forward, sometimes a jump back of up to an hour's worth of ticks.
                clock += random.Next(10) == 0 ? -random.Next(0, 3000) : random.Next(0, 50);
                timestamps.Add(clock);
                await log.AppendAsync(new LogRecord(Encoding.UTF8.GetBytes("k"), Encoding.UTF8.GetBytes($"v{i}"), clock));
            }
        }

        await using var reopened = Log.Open("/crashfs/t", options, out var report);
        Assert.True(report.CleanShutdown);
        Assert.Equal(0, report.SegmentsScanned);
        for (var target = timestamps.Min() - 10; target <= timestamps.Max() + 10; target += 37)
        {
            var expected = timestamps.FindIndex(t => t >= target);
            Assert.Equal(expected < 0 ? 400 : expected, reopened.FindOffsetByTime(target));
        }
    }
}

namespace EdgeBroker.Storage.Tests;

[Trait("Category", "Unit")]
public sealed class LogTests
{
    private static LogOptions Options(IFileIO? io = null, long segmentBytes = 64 * 1024) =>
        new() { SegmentBytes = segmentBytes, MaxRecordBytes = 900, IndexIntervalBytes = 256, FileIO = io ?? PhysicalFileIO.Instance };

    [Fact]
    public async Task AppendsAndReadsBackASingleRecord()
    {
        using var dir = new TempDirectory();
        await using var log = Log.Open(dir.Path, Options(), out var report);
        Assert.False(report.CleanShutdown);
        var offset = await log.AppendAsync(TestRecords.Make(7));
        Assert.Equal(0, offset);
        Assert.Equal(1, log.ReadableEndOffset);
        var entries = log.Read(0, 10);
        var entry = Assert.Single(entries);
        Assert.Equal("value-7", TestRecords.Value(entry));
        Assert.Equal("k7", TestRecords.Key(entry));
        Assert.Equal(1007, entry.TimestampMs);
        Assert.False(entry.IsTombstone);
    }

    [Fact]
    public async Task AppendsABatchContiguously()
    {
        using var dir = new TempDirectory();
        await using var log = Log.Open(dir.Path, Options(), out _);
        await log.AppendAsync(TestRecords.Make(0));
        var first = await log.AppendAsync(Enumerable.Range(1, 5).Select(i => TestRecords.Make(i)).ToList());
        Assert.Equal(1, first);
        Assert.Equal(6, log.EndOffset);
        var entries = log.Read(3, 100);
        Assert.Equal(new long[] { 3, 4, 5 }, entries.Select(e => e.Offset));
        Assert.Equal("value-3", TestRecords.Value(entries[0]));
    }

    [Fact]
    public async Task ConcurrentAppendsShareFsyncs()
    {
        using var dir = new TempDirectory();
        var io = new CountingFileIO();
        await using var log = Log.Open(dir.Path, Options(io, 16 * 1024 * 1024), out _);
        const int appends = 400;
        var tasks = Enumerable.Range(0, appends).Select(i => Task.Run(async () => await log.AppendAsync(TestRecords.Make(i)))).ToArray();
        var offsets = await Task.WhenAll(tasks);
        Assert.Equal(Enumerable.Range(0, appends).Select(i => (long)i), offsets.Order());
        Assert.True(io.Flushes < appends, $"{io.Flushes} fsyncs for {appends} appends");
        Assert.Equal(appends, TestRecords.ReadAll(log).Count);
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(4096)]
    [InlineData(65536)]
    public async Task ReopensAndReadsEverythingAcrossSegmentSizes(long segmentBytes)
    {
        using var dir = new TempDirectory();
        await using (var log = Log.Open(dir.Path, Options(segmentBytes: segmentBytes), out _))
        {
            for (var i = 0; i < 300; i++)
            {
                Assert.Equal(i, await log.AppendAsync(TestRecords.Make(i, padding: i % 50)));
            }
        }

        await using (var log = Log.Open(dir.Path, Options(segmentBytes: segmentBytes), out var report))
        {
            Assert.True(report.CleanShutdown);
            Assert.Equal(0, report.SegmentsScanned);
            Assert.Equal(300, report.EndOffset);
            Assert.Empty(report.CorruptRanges);
            var all = TestRecords.ReadAll(log);
            Assert.Equal(Enumerable.Range(0, 300).Select(i => (long)i), all.Select(e => e.Offset));
            Assert.All(all, e => Assert.StartsWith($"value-{e.Offset}", TestRecords.Value(e), StringComparison.Ordinal));
            for (var i = 0; i < 300; i += 37)
            {
                Assert.Equal(i, log.Read(i, 1)[0].Offset);
                Assert.Equal(i, log.FindOffsetByTime(1000 + i));
            }

            Assert.Equal(300, log.FindOffsetByTime(99999));
            Assert.Equal(0, log.FindOffsetByTime(0));
            Assert.Equal(300, await log.AppendAsync(TestRecords.Make(300)));
        }
    }

    [Fact]
    public async Task UncleanReopenRecoversTheSameRecords()
    {
        using var dir = new TempDirectory();
        await using (var log = Log.Open(dir.Path, Options(segmentBytes: 2048), out _))
        {
            for (var i = 0; i < 100; i++)
            {
                await log.AppendAsync(TestRecords.Make(i));
            }
        }

        File.Delete(Path.Combine(dir.Path, "clean-shutdown"));
        await using var reopened = Log.Open(dir.Path, Options(segmentBytes: 2048), out var report);
        Assert.False(report.CleanShutdown);
        Assert.Equal(100, reopened.EndOffset);
        Assert.Equal(100, TestRecords.ReadAll(reopened).Count);
    }

    [Fact]
    public async Task WaitForDataCompletesAfterAnAppend()
    {
        using var dir = new TempDirectory();
        await using var log = Log.Open(dir.Path, Options(), out _);
        var wait = log.WaitForDataAsync(0, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        await log.AppendAsync(TestRecords.Make(1));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(log.ReadableEndOffset > 0);
    }

    [Fact]
    public async Task ReadsAreEmptyPastTheEnd()
    {
        using var dir = new TempDirectory();
        await using var log = Log.Open(dir.Path, Options(), out _);
        await log.AppendAsync(TestRecords.Make(1));
        Assert.Empty(log.Read(1, 10));
        Assert.Empty(log.Read(100, 10));
    }

    [Fact]
    public async Task MaxBytesLimitsAReadButReturnsAtLeastOneRecord()
    {
        using var dir = new TempDirectory();
        await using var log = Log.Open(dir.Path, Options(), out _);
        await log.AppendAsync(Enumerable.Range(0, 10).Select(i => TestRecords.Make(i, padding: 100)).ToList());
        Assert.Single(log.Read(0, 10, maxBytes: 1));
        Assert.Equal(2, log.Read(0, 10, maxBytes: 250).Count);
        Assert.Equal(3, log.Read(0, 3).Count);
    }

    [Fact]
    public async Task RefusesASecondOpenOfTheSameDirectoryUntilTheFirstIsClosed()
    {
        using var dir = new TempDirectory();
        var first = Log.Open(dir.Path, Options(), out _);
        var error = Assert.Throws<IOException>(() => Log.Open(dir.Path, Options(), out _));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        await first.DisposeAsync();
        await using var second = Log.Open(dir.Path, Options(), out var report);
        Assert.True(report.CleanShutdown);
    }
}

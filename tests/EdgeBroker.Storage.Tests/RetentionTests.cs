namespace EdgeBroker.Storage.Tests;

/// <summary>Retention by age and size, prefix deletion, and the safe deletion protocol (F10, F25).</summary>
[Trait("Category", "Unit")]
public sealed class RetentionTests
{
    private const string Root = "/crashfs/log";

    private static LogOptions Options(IFileIO io, TimeProvider? time = null, TimeSpan? age = null, long? bytes = null) => new()
    {
        SegmentBytes = 1024,
        IndexIntervalBytes = 128,
        MaxRecordBytes = 512,
        FileIO = io,
        Time = time ?? TimeProvider.System,
        RetentionAge = age,
        RetentionBytes = bytes,
    };

    private static async Task FillAsync(Log log, int count, int start = 0)
    {
        for (var i = start; i < start + count; i++)
        {
            await log.AppendAsync(TestRecords.Make(i, padding: 30));
        }
    }

    [Fact]
    [Trait("Spec", "F25")]
    public async Task DeletesSealedSegmentsOlderThanTheAgeAndNeverTheActiveOne()
    {
        var io = new CrashableFileIO();
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1000 + 50));
        await using var log = Log.Open(Root, Options(io, clock, age: TimeSpan.FromMilliseconds(10)), out _);
        await FillAsync(log, 100);
        var segments = log.SegmentCount;
        Assert.True(segments > 3);

        // Records have timestamps 1000..1099; "now" = 1050 and age 10 ms: segments whose newest record < 1040 go.
        var result = log.EnforceRetention();
        Assert.True(result.SegmentsDeleted > 0);
        Assert.True(log.StartOffset <= 40);
        Assert.Equal(log.StartOffset, result.NewStartOffset);
        Assert.Equal(log.StartOffset, TestRecords.ReadAll(log)[0].Offset);

        // A backwards clock jump deletes nothing more.
        clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(0);
        Assert.Equal(0, log.EnforceRetention().SegmentsDeleted);

        // A far-future clock deletes every sealed segment but never the active one.
        clock.Now = DateTimeOffset.FromUnixTimeMilliseconds(10_000_000);
        log.EnforceRetention();
        Assert.Equal(1, log.SegmentCount);
        Assert.Equal(100, log.EndOffset);
        Assert.Equal(100, await log.AppendAsync(TestRecords.Make(100)));
    }

    [Fact]
    public async Task DeletesOldestSegmentsWhileTheLogIsLargerThanTheLimit()
    {
        var io = new CrashableFileIO();
        await using var log = Log.Open(Root, Options(io, bytes: 3000), out _);
        await FillAsync(log, 150);
        log.EnforceRetention();
        Assert.True(log.SizeBytes <= 3000 + 1024 + 512);
        var all = TestRecords.ReadAll(log);
        Assert.Equal(149, all[^1].Offset);
        Assert.Equal(log.StartOffset, all[0].Offset);
    }

    [Fact]
    public async Task DeleteSegmentsBeforeRemovesOnlyWholeSegmentsBelowTheOffset()
    {
        var io = new CrashableFileIO();
        await using var log = Log.Open(Root, Options(io), out _);
        await FillAsync(log, 100);
        var result = log.DeleteSegmentsBefore(50);
        Assert.True(result.SegmentsDeleted > 0);
        Assert.True(log.StartOffset <= 50);
        Assert.Equal(50, log.Read(50, 1)[0].Offset);
        Assert.DoesNotContain(io.ListFiles(Root), f => f.EndsWith(".deleted", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Spec", "F10")]
    public async Task ACrashAtAnyStepOfADeletionLeavesAContiguousLog()
    {
        for (var step = 1; step < 12; step++)
        {
            var io = new CrashableFileIO();
            var log = Log.Open(Root, Options(io), out _);
            await FillAsync(log, 100);
            io.CrashAtOperation = io.Operations + step;
            try
            {
                log.DeleteSegmentsBefore(60);
            }
            catch (IOException)
            {
            }

            await log.DisposeAsync();
            io.Crash(new Random(step));
            await using var reopened = Log.Open(Root, Options(io), out var report);
            Assert.Empty(report.CorruptRanges);
            var all = TestRecords.ReadAll(reopened);
            Assert.Equal(99, all[^1].Offset);
            Assert.Equal(Enumerable.Range((int)all[0].Offset, all.Count).Select(i => (long)i), all.Select(e => e.Offset));
            Assert.True(all[0].Offset <= 60);
            Assert.DoesNotContain(io.ListFiles(Root), f => f.EndsWith(".deleted", StringComparison.Ordinal));
        }
    }
}

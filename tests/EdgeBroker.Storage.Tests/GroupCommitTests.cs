namespace EdgeBroker.Storage.Tests;

/// <summary>R2: appends arriving during an fsync form the next batch, bounded by MaxBatchBytes.</summary>
[Trait("Category", "Unit")]
public sealed class GroupCommitTests
{
    [Theory]
    [Trait("Spec", "R2")]
    [InlineData(1024 * 1024, 1, 2)]
    [InlineData(1024, 8, 50)]
    public async Task AppendsQueuedDuringAnFsyncShareTheNextOne(int maxBatchBytes, int minFsyncs, int maxFsyncs)
    {
        var io = new CrashableFileIO();
        var options = new LogOptions { SegmentBytes = 1024 * 1024, MaxRecordBytes = 1024, MaxBatchBytes = maxBatchBytes, FileIO = io };
        await using var log = Log.Open("/crashfs/g", options, out _);
        var gate = new ManualResetEventSlim(false);
        var entered = new ManualResetEventSlim(false);
        io.BeforeFlush = path =>
        {
            if (path.EndsWith(".log", StringComparison.Ordinal) && !gate.IsSet)
            {
                entered.Set();
                gate.Wait();
            }
        };

        var first = log.AppendAsync(TestRecords.Make(0, padding: 300)).AsTask();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        var before = io.Flushes;
        var queued = Enumerable.Range(1, 50).Select(i => log.AppendAsync(TestRecords.Make(i, padding: 300)).AsTask()).ToList();
        gate.Set();
        await first;
        var offsets = await Task.WhenAll(queued);
        var fsyncs = io.Flushes - before - 1;
        Assert.InRange(fsyncs, minFsyncs, maxFsyncs);
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), offsets);
        Assert.Equal(51, log.ReadableEndOffset);
    }
}

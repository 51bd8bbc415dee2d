namespace EdgeBroker.Storage.Tests;

/// <summary>F12/F13 and R6/R11: failed writes and fsyncs are never acknowledged, and readers never see unsynced data.</summary>
[Trait("Category", "Crash")]
public sealed class WriteFailureTests
{
    private const string Root = "/crashfs/log";

    private static LogOptions Options(CrashableFileIO io, FsyncPolicy? fsync = null) => new()
    {
        SegmentBytes = 4096,
        IndexIntervalBytes = 128,
        MaxRecordBytes = 900,
        FileIO = io,
        Fsync = fsync ?? FsyncPolicy.Always,
    };

    [Fact]
    [Trait("Spec", "R11")]
    [Trait("Spec", "F13")]
    public async Task AnFsyncErrorFailsEveryWaiterAndMakesTheLogReadOnly()
    {
        var io = new CrashableFileIO();
        var log = Log.Open(Root, Options(io), out _);
        await log.AppendAsync(TestRecords.Make(0));
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

        // Hold the first fsync so that several appends pile up into one batch, then fail it.
        var first = log.AppendAsync(TestRecords.Make(1)).AsTask();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        var queued = Enumerable.Range(2, 5).Select(i => log.AppendAsync(TestRecords.Make(i)).AsTask()).ToList();
        io.FailFlush = path => path.EndsWith(".log", StringComparison.Ordinal);
        gate.Set();
        await Assert.ThrowsAsync<LogWriteException>(() => first);
        foreach (var task in queued)
        {
            await Assert.ThrowsAsync<LogWriteException>(() => task);
        }

        Assert.True(log.IsReadOnly);
        io.FailFlush = null;
        await Assert.ThrowsAsync<LogWriteException>(async () => await log.AppendAsync(TestRecords.Make(99)));
        Assert.Equal(1, log.ReadableEndOffset);
        Assert.Single(log.Read(0, 10));
        await log.DisposeAsync();

        // R11: reopening runs recovery again and accepts writes; offsets never go backwards.
        await using var reopened = Log.Open(Root, Options(io), out var report);
        Assert.False(report.CleanShutdown);
        Assert.False(reopened.IsReadOnly);
        var next = await reopened.AppendAsync(TestRecords.Make(100));
        Assert.True(next >= 1);
    }

    [Fact]
    [Trait("Spec", "F12")]
    public async Task AWriteErrorNacksTheBatchAndLeavesNoPartialBatchAfterRestart()
    {
        var io = new CrashableFileIO();
        var log = Log.Open(Root, Options(io), out _);
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(TestRecords.Make(i));
        }

        io.FailWrite = path => path.EndsWith(".log", StringComparison.Ordinal);
        await Assert.ThrowsAsync<LogWriteException>(async () => await log.AppendAsync(TestRecords.Make(5)));
        Assert.True(log.IsReadOnly);
        Assert.Equal(5, TestRecords.ReadAll(log).Count);
        io.FailWrite = null;
        await log.DisposeAsync();
        io.Crash(new Random(3));
        await using var reopened = Log.Open(Root, Options(io), out var report);
        Assert.Empty(report.CorruptRanges);
        Assert.Equal(5, reopened.EndOffset);
        Assert.Equal(5, TestRecords.ReadAll(reopened).Count);
    }

    [Fact]
    [Trait("Spec", "R6")]
    public async Task ReadersNeverSeeRecordsBeforeTheirFsyncReturned()
    {
        var io = new CrashableFileIO();
        await using var log = Log.Open(Root, Options(io), out _);
        var gate = new ManualResetEventSlim(false);
        var entered = new ManualResetEventSlim(false);
        io.BeforeFlush = path =>
        {
            if (path.EndsWith(".log", StringComparison.Ordinal))
            {
                entered.Set();
                gate.Wait();
            }
        };

        var append = log.AppendAsync(TestRecords.Make(0)).AsTask();
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, log.EndOffset);
        Assert.Equal(0, log.ReadableEndOffset);
        Assert.Empty(log.Read(0, 10));
        Assert.False(append.IsCompleted);
        gate.Set();
        Assert.Equal(0, await append);
        Assert.Equal(1, log.ReadableEndOffset);
        Assert.Single(log.Read(0, 10));
    }

    [Fact]
    [Trait("Spec", "F03")]
    public async Task UnderNeverAppendsCompleteWithoutFsyncAndAPowerLossMayTakeThemBack()
    {
        var io = new CrashableFileIO();
        var log = Log.Open(Root, Options(io, FsyncPolicy.Never), out _);
        var flushesAtOpen = io.Flushes;
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i, await log.AppendAsync(TestRecords.Make(i)));
        }

        Assert.Equal(flushesAtOpen, io.Flushes);
        Assert.Equal(20, log.ReadableEndOffset);
        io.CrashAtOperation = io.Operations + 1;
        await log.DisposeAsync();
        io.Crash(new Random(5), tear: true);
        await using var reopened = Log.Open(Root, Options(io, FsyncPolicy.Never), out var report);
        Assert.Empty(report.CorruptRanges);
        var survivors = TestRecords.ReadAll(reopened);
        Assert.True(survivors.Count <= 20);
        Assert.Equal(Enumerable.Range(0, survivors.Count).Select(i => (long)i), survivors.Select(e => e.Offset));
    }

    [Fact]
    [Trait("Spec", "F03")]
    public async Task UnderIntervalATimerFsyncsWrittenAppends()
    {
        var io = new CrashableFileIO();
        await using var log = Log.Open(Root, Options(io, FsyncPolicy.Every(TimeSpan.FromMilliseconds(20))), out _);
        var flushesAtOpen = io.Flushes;
        await log.AppendAsync(TestRecords.Make(0));
        Assert.Equal(1, log.ReadableEndOffset);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (log.DurableEndOffset < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, log.DurableEndOffset);
        Assert.True(io.Flushes > flushesAtOpen);
    }

    [Fact]
    [Trait("Spec", "F03")]
    [Trait("Spec", "R13")]
    public async Task UnderIntervalAPowerLossCostsAtMostWhatWasNotYetFsynced()
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var random = new Random(seed);
            var io = new CrashableFileIO();
            var log = Log.Open(Root, Options(io, FsyncPolicy.Every(TimeSpan.FromMilliseconds(2))), out _);
            var acked = new Dictionary<long, string>();
            for (var i = 0; i < 60; i++)
            {
                var record = TestRecords.Make(i, padding: random.Next(80));
                acked[await log.AppendAsync(record)] = System.Text.Encoding.UTF8.GetString(record.Value.Span);
            }

            // Power fails now: whatever the timer had fsynced is the bound on what may be lost.
            io.CrashAtOperation = io.Operations + 1;
            await log.DisposeAsync();
            var durable = log.DurableEndOffset;
            io.Crash(random);
            await using var reopened = Log.Open(Root, Options(io, FsyncPolicy.Always), out var report);
            Assert.Empty(report.CorruptRanges);
            var present = TestRecords.ReadAll(reopened).ToDictionary(e => e.Offset, TestRecords.Value);
            foreach (var (offset, value) in acked.Where(a => a.Key < durable))
            {
                Assert.True(present.TryGetValue(offset, out var actual) && actual == value, $"seed {seed}: fsynced offset {offset} lost");
            }

            Assert.All(present, p => Assert.Equal(acked[p.Key], p.Value));
        }
    }
}

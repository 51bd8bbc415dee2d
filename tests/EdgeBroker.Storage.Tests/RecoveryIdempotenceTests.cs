namespace EdgeBroker.Storage.Tests;

/// <summary>R9/F23: recovery run twice, or interrupted and run again, ends in the same state.</summary>
[Trait("Category", "Crash")]
public sealed class RecoveryIdempotenceTests
{
    private const string Root = "/crashfs/log";

    private static LogOptions Options(CrashableFileIO io) => new() { SegmentBytes = 1024, IndexIntervalBytes = 128, MaxRecordBytes = 512, FileIO = io };

    private static async Task<CrashableFileIO> CrashedImageAsync(int seed)
    {
        var io = new CrashableFileIO();
        var log = Log.Open(Root, Options(io), out _);
        for (var i = 0; i < 60; i++)
        {
            await log.AppendAsync(TestRecords.Make(i, padding: 20));
        }

        // Unsynced garbage after the last batch, then a power loss that keeps part of it: a torn tail.
        io.CrashAtOperation = io.Operations + 1;
        await log.DisposeAsync();
        io.Crash(new Random(seed));
        var file = io.Open(io.ListFiles(Root).Where(f => f.EndsWith(".log", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last(), FileMode.Open);
        file.Write(file.Length, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45 });
        file.Flush();
        file.Dispose();
        return io;
    }

    private static (long, long, int, List<(long, string)>) State(Log log, RecoveryReport report) =>
        (report.StartOffset, report.EndOffset, report.CorruptRanges.Count, TestRecords.ReadAll(log).Select(e => (e.Offset, TestRecords.Value(e))).ToList());

    [Fact]
    [Trait("Spec", "R9")]
    [Trait("Spec", "F23")]
    public async Task RecoveryInterruptedAtAnyStepEndsInTheSameState()
    {
        var reference = await CrashedImageAsync(1);
        var first = Log.Open(Root, Options(reference), out var firstReport);
        Assert.Equal(45, firstReport.BytesTruncated);
        var expected = State(first, firstReport);
        await first.DisposeAsync();

        for (var step = 1; step < 12; step++)
        {
            var io = await CrashedImageAsync(1);
            io.CrashAtOperation = io.Operations + step;
            try
            {
                var interrupted = Log.Open(Root, Options(io), out _);
                await interrupted.DisposeAsync();
            }
            catch (IOException)
            {
            }

            io.Crash(new Random(step));
            await using var log = Log.Open(Root, Options(io), out var report);
            var (start, end, corrupt, entries) = State(log, report);
            Assert.Equal((expected.Item1, expected.Item2, expected.Item3), (start, end, corrupt));
            Assert.Equal(expected.Item4, entries);
        }
    }
}

namespace EdgeBroker.Storage.Tests;

using System.Text;

/// <summary>Key compaction: last value per key, tombstones, preserved offsets, crash-safe swap (F10).</summary>
[Trait("Category", "Unit")]
public sealed class CompactionTests
{
    private const string Root = "/crashfs/log";

    private static LogOptions Options(IFileIO io) => new() { SegmentBytes = 1024, IndexIntervalBytes = 128, MaxRecordBytes = 512, FileIO = io };

    private static LogRecord Put(string key, string value, long ts) => new(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), ts);

    /// <summary>Five keys written 40 times each, key "k0" deleted by a tombstone at the end of the sealed part.</summary>
    private static async Task FillAsync(Log log)
    {
        for (var i = 0; i < 200; i++)
        {
            await log.AppendAsync(Put($"k{i % 5}", $"v{i}", 1000 + i));
        }

        await log.AppendAsync(LogRecord.Tombstone(Encoding.UTF8.GetBytes("k0"), 2000));
        for (var i = 0; i < 30; i++)
        {
            await log.AppendAsync(Put("filler", $"f{i}" + new string('x', 40), 3000 + i));
        }
    }

    private static Dictionary<string, string> LatestByKey(IEnumerable<LogEntry> entries)
    {
        var map = new Dictionary<string, string>();
        foreach (var e in entries)
        {
            if (e.IsTombstone)
            {
                map.Remove(TestRecords.Key(e));
            }
            else
            {
                map[TestRecords.Key(e)] = TestRecords.Value(e);
            }
        }

        return map;
    }

    [Fact]
    public async Task KeepsTheLastValuePerKeyAndPreservesOffsets()
    {
        var io = new CrashableFileIO();
        await using var log = Log.Open(Root, Options(io), out _);
        await FillAsync(log);
        var before = TestRecords.ReadAll(log);
        var expected = LatestByKey(before);
        var result = log.Compact();
        Assert.True(result.SegmentsRewritten > 0);
        Assert.True(result.RecordsRemoved >= 190);
        Assert.True(result.BytesAfter < result.BytesBefore);
        var after = TestRecords.ReadAll(log);
        Assert.Equal(expected, LatestByKey(after));
        Assert.DoesNotContain(after, e => TestRecords.Key(e) == "k0");
        foreach (var e in after)
        {
            var original = before.Single(b => b.Offset == e.Offset);
            Assert.Equal(TestRecords.Value(original), TestRecords.Value(e));
        }

        Assert.Equal(231, log.EndOffset);
        Assert.Equal(231, await log.AppendAsync(Put("k1", "new", 5000)));
    }

    [Fact]
    public async Task ACompactedLogReopensIdentically()
    {
        var io = new CrashableFileIO();
        List<LogEntry> compacted;
        await using (var log = Log.Open(Root, Options(io), out _))
        {
            await FillAsync(log);
            log.Compact();
            compacted = TestRecords.ReadAll(log);
        }

        await using var reopened = Log.Open(Root, Options(io), out var report);
        Assert.Empty(report.CorruptRanges);
        Assert.Equal(compacted.Select(e => (e.Offset, TestRecords.Value(e))), TestRecords.ReadAll(reopened).Select(e => (e.Offset, TestRecords.Value(e))));
    }

    [Fact]
    [Trait("Spec", "F10")]
    public async Task ACrashAtAnyStepOfCompactionLeavesTheOldOrTheNewSetNeverAMix()
    {
        var io0 = new CrashableFileIO();
        List<LogEntry> oldSet, newSet;
        int operations;
        await using (var log = Log.Open(Root, Options(io0), out _))
        {
            await FillAsync(log);
            oldSet = TestRecords.ReadAll(log);
            var start = io0.Operations;
            log.Compact();
            operations = io0.Operations - start;
            newSet = TestRecords.ReadAll(log);
        }

        for (var step = 1; step <= operations + 1; step++)
        {
            var io = new CrashableFileIO();
            var log = Log.Open(Root, Options(io), out _);
            await FillAsync(log);
            io.CrashAtOperation = io.Operations + step;
            try
            {
                log.Compact();
            }
            catch (IOException)
            {
            }

            await log.DisposeAsync();
            io.Crash(new Random(step));
            await using var reopened = Log.Open(Root, Options(io), out var report);
            Assert.Empty(report.CorruptRanges);
            var seen = TestRecords.ReadAll(reopened).Select(e => (e.Offset, TestRecords.Value(e))).ToList();
            var isOld = seen.SequenceEqual(oldSet.Select(e => (e.Offset, TestRecords.Value(e))));
            var isNew = seen.SequenceEqual(newSet.Select(e => (e.Offset, TestRecords.Value(e))));
            Assert.True(isOld || isNew, $"crash at compaction step {step} left a mix");
            Assert.DoesNotContain(io.ListFiles(Root), f => f.EndsWith(".cleaned", StringComparison.Ordinal) || f.EndsWith(".swap", StringComparison.Ordinal));
        }
    }
}

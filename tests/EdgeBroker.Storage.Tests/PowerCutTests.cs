namespace EdgeBroker.Storage.Tests;

using System.Text;

/// <summary>
/// Issue 8 "Power loss" with the strict model (<see cref="CrashableFileIO.PowerCut"/>): many appends, single and
/// concurrent (group commit), with repeated power cuts at random file operations on the same data. After each
/// cut and recovery: every acknowledged record is present with its value (fsync=always), or every record
/// acknowledged before the last completed fsync is (fsync=interval); nothing is invented; an offset, once seen,
/// never changes its value; and new appends never reuse an offset.
/// </summary>
[Trait("Category", "Crash")]
public sealed class PowerCutTests
{
    private const string Root = "/powercut/log";

    private static LogOptions Options(CrashableFileIO io, FsyncPolicy fsync) => new()
    {
        SegmentBytes = 2048,
        IndexIntervalBytes = 128,
        MaxRecordBytes = 512,
        FileIO = io,
        Fsync = fsync,
    };

    [Fact]
    [Trait("Spec", "F02")]
    [Trait("Spec", "R1")]
    [Trait("Spec", "R7")]
    public async Task UnderFsyncAlwaysEveryAcknowledgedAppendSurvivesRepeatedPowerCuts()
    {
        for (var seed = 0; seed < 120; seed++)
        {
            await RunAsync(seed, FsyncPolicy.Always);
        }
    }

    [Fact]
    [Trait("Spec", "F03")]
    [Trait("Spec", "R13")]
    public async Task UnderFsyncIntervalWhatWasAcknowledgedBeforeASyncSurvivesRepeatedPowerCuts()
    {
        for (var seed = 0; seed < 60; seed++)
        {
            await RunAsync(seed, FsyncPolicy.Every(TimeSpan.FromMilliseconds(1)));
        }
    }

    private static async Task RunAsync(int seed, FsyncPolicy fsync)
    {
        var random = new Random((seed * 31) + 7);
        var io = new CrashableFileIO();
        var attempted = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<long, string>(); // every offset ever acknowledged or recovered, with its value
        var next = 0;
        for (var cut = 0; cut < 4; cut++)
        {
            var context = $"seed {seed}, cut {cut}, fsync {fsync}";
            var log = Log.Open(Root, Options(io, fsync), out var report);
            Assert.True(report.CorruptRanges.Count == 0, context + ": a power cut must not look like corruption");
            var recovered = TestRecords.ReadAll(log);
            for (var i = 0; i < recovered.Count; i++)
            {
                var value = TestRecords.Value(recovered[i]);
                Assert.True(i == 0 || recovered[i].Offset > recovered[i - 1].Offset, context + ": offsets strictly increase");
                Assert.True(attempted.Contains(value), $"{context}: invented value {value} at {recovered[i].Offset}");
                Assert.True(!seen.TryGetValue(recovered[i].Offset, out var before) || before == value, $"{context}: offset {recovered[i].Offset} was {before}, now {value}");
                seen[recovered[i].Offset] = value;
            }

            var highest = seen.Count == 0 ? -1 : seen.Keys.Max();
            var acked = new Dictionary<long, string>();
            io.CrashAtOperation = io.Operations + random.Next(1, 200);
            try
            {
                for (var step = 0; step < 40; step++)
                {
                    var count = random.Next(1, 5);
                    var records = Enumerable.Range(0, count).Select(_ => Record(next++, random, attempted)).ToList();
                    var tasks = records.Select(r => log.AppendAsync(r).AsTask()).ToList();
                    try
                    {
                        await Task.WhenAll(tasks);
                    }
                    finally
                    {
                        for (var r = 0; r < count; r++)
                        {
                            if (tasks[r].IsCompletedSuccessfully)
                            {
                                Assert.True(tasks[r].Result > highest, $"{context}: offset {tasks[r].Result} reused (≤ {highest})");
                                acked[tasks[r].Result] = Encoding.UTF8.GetString(records[r].Value.Span);
                            }
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or LogWriteException)
            {
                // The "machine" died at the chosen operation.
            }

            var durable = log.DurableEndOffset;
            if (!io.IsDead)
            {
                io.CrashAtOperation = io.Operations + 1; // the workload finished first: the cut lands now
            }

            await log.DisposeAsync();
            io.PowerCut(random);

            await using var reopened = Log.Open(Root, Options(io, FsyncPolicy.Always), out report);
            Assert.True(report.CorruptRanges.Count == 0, context + ": a power cut must not look like corruption");
            var present = TestRecords.ReadAll(reopened).ToDictionary(e => e.Offset, TestRecords.Value);
            foreach (var (offset, value) in acked)
            {
                var mustSurvive = fsync.Mode == FsyncMode.Always || offset < durable;
                if (mustSurvive)
                {
                    Assert.True(present.TryGetValue(offset, out var actual) && actual == value, $"{context}: acknowledged offset {offset} ({value}) lost");
                }

                seen[offset] = present.TryGetValue(offset, out var kept) ? kept : value;
            }

            foreach (var (offset, value) in present)
            {
                Assert.True(attempted.Contains(value), $"{context}: invented value {value} at {offset}");
                if (acked.TryGetValue(offset, out var ackedValue))
                {
                    Assert.Equal(ackedValue, value);
                }
            }

            // Acknowledged-but-lost offsets (interval only) may be reused by a later append; forget them.
            foreach (var lost in acked.Keys.Where(o => !present.ContainsKey(o)))
            {
                seen.Remove(lost);
            }
        }
    }

    private static LogRecord Record(int i, Random random, HashSet<string> attempted)
    {
        var value = $"v{i}-" + new string('p', random.Next(0, 200));
        attempted.Add(value);
        return new LogRecord(Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes(value), 1000 + i);
    }
}

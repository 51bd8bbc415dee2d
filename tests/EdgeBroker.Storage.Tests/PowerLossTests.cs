namespace EdgeBroker.Storage.Tests;

using System.Text;

/// <summary>
/// F02/F09/F10/F11 as a property: random workloads (appends, segment rolls, retention, compaction, clean
/// reopens) on <see cref="CrashableFileIO"/>, killed at a random file operation, then power-lost and recovered.
/// </summary>
[Trait("Category", "Crash")]
public sealed class PowerLossTests
{
    private const string Root = "/crashfs/log";

    private static LogOptions Options(CrashableFileIO io) => new()
    {
        SegmentBytes = 1024,
        IndexIntervalBytes = 128,
        MaxRecordBytes = 512,
        FileIO = io,
    };

    [Fact]
    [Trait("Spec", "R1")]
    [Trait("Spec", "R9")]
    [Trait("Spec", "R10")]
    public async Task AcknowledgedAppendsSurviveACrashAtAnyOperation()
    {
        for (var seed = 0; seed < 300; seed++)
        {
            await RunOneAsync(seed);
        }
    }

    [Fact]
    [Trait("Spec", "F09")]
    public async Task ACrashAtEveryStepOfASegmentRollLosesNoAcknowledgedAppend()
    {
        // Dry run: which append rolls the first segment?
        var dry = new CrashableFileIO();
        var rolling = 0;
        await using (var log = Log.Open(Root, Options(dry), out _))
        {
            while (log.SegmentCount == 1)
            {
                await log.AppendAsync(TestRecords.Make(rolling++, padding: 50));
            }
        }

        rolling--;
        for (var step = 1; step <= 24; step++)
        {
            var io = new CrashableFileIO();
            var log = Log.Open(Root, Options(io), out _);
            for (var i = 0; i < rolling; i++)
            {
                await log.AppendAsync(TestRecords.Make(i, padding: 50));
            }

            Assert.Equal(1, log.SegmentCount);
            io.CrashAtOperation = io.Operations + step;
            var acked = rolling;
            try
            {
                for (var i = rolling; i < rolling + 5; i++, acked++)
                {
                    await log.AppendAsync(TestRecords.Make(i, padding: 50));
                }
            }
            catch (LogWriteException)
            {
            }

            await log.DisposeAsync();
            io.Crash(new Random(step));
            await using var recovered = Log.Open(Root, Options(io), out var report);
            Assert.Empty(report.CorruptRanges);
            Assert.True(recovered.EndOffset >= acked, $"step {step}: end {recovered.EndOffset} < acked {acked}");
            Assert.Equal(recovered.EndOffset, TestRecords.ReadAll(recovered).Count);
            Assert.Equal(recovered.EndOffset, await recovered.AppendAsync(TestRecords.Make(99)));
        }
    }

    private static async Task RunOneAsync(int seed)
    {
        var random = new Random((seed * 7919) + 17);
        var io = new CrashableFileIO();
        var acked = new Dictionary<long, string>();
        var keyOf = new Dictionary<string, string>();
        var log = Log.Open(Root, Options(io), out _);
        io.CrashAtOperation = io.Operations + random.Next(1, 300);
        var next = 0;
        var crashed = false;
        for (var step = 0; step < 80 && !crashed; step++)
        {
            try
            {
                var action = random.Next(100);
                if (action < 75)
                {
                    var count = random.Next(1, 4);
                    var records = new List<LogRecord>();
                    for (var r = 0; r < count; r++, next++)
                    {
                        var value = $"v{next}-" + new string('p', random.Next(0, 120));
                        var key = $"k{next % 9}";
                        keyOf[value] = key;
                        records.Add(new LogRecord(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(value), 1000 + next));
                    }

                    if (count > 1 && random.Next(2) == 0)
                    {
                        // Concurrent appends: they share a group commit.
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
                                    acked[tasks[r].Result] = Encoding.UTF8.GetString(records[r].Value.Span);
                                }
                            }
                        }
                    }
                    else
                    {
                        var first = await log.AppendAsync(records);
                        for (var r = 0; r < count; r++)
                        {
                            acked[first + r] = Encoding.UTF8.GetString(records[r].Value.Span);
                        }
                    }
                }
                else if (action < 82 && acked.Count > 0)
                {
                    log.DeleteSegmentsBefore(acked.Keys.Min() + random.Next(0, 20));
                }
                else if (action < 90)
                {
                    log.Compact();
                }
                else if (action < 95)
                {
                    await log.DisposeAsync();
                    log = Log.Open(Root, Options(io), out _);
                }
            }
            catch (IOException) when (io.IsDead || log.IsReadOnly)
            {
                crashed = true;
            }
        }

        await log.DisposeAsync();
        io.Crash(random);
        await using var recovered = Log.Open(Root, Options(io), out var report);
        var context = $"seed {seed}";
        Assert.True(report.CorruptRanges.Count == 0, context + ": power loss must not look like corruption");
        var entries = TestRecords.ReadAll(recovered);
        var byOffset = new Dictionary<long, LogEntry>();
        for (var i = 0; i < entries.Count; i++)
        {
            Assert.True(i == 0 || entries[i].Offset > entries[i - 1].Offset, context + ": offsets strictly increase");
            var value = TestRecords.Value(entries[i]);
            Assert.True(keyOf.ContainsKey(value), $"{context}: invented value {value}");
            Assert.True(!acked.TryGetValue(entries[i].Offset, out var expected) || expected == value, $"{context}: offset {entries[i].Offset} holds {value}, acked {expected}");
            byOffset[entries[i].Offset] = entries[i];
        }

        foreach (var (offset, value) in acked)
        {
            if (offset < recovered.StartOffset || byOffset.ContainsKey(offset))
            {
                continue;
            }

            // Compaction may drop a value only when a newer record of its key survives.
            var key = keyOf[value];
            Assert.True(entries.Any(e => e.Offset > offset && TestRecords.Key(e) == key), $"{context}: acked offset {offset} ({value}) lost");
        }

        // R7: offsets are never reused after recovery.
        var highest = Math.Max(acked.Count == 0 ? -1 : acked.Keys.Max(), entries.Count == 0 ? -1 : entries[^1].Offset);
        var fresh = await recovered.AppendAsync(TestRecords.Make(1));
        Assert.True(fresh > highest, $"{context}: new offset {fresh} reuses ≤ {highest}");
    }
}

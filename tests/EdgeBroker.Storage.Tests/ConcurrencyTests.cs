namespace EdgeBroker.Storage.Tests;

using System.Text;

/// <summary>Appends, reads, long polls, retention and compaction running at the same time.</summary>
[Trait("Category", "Unit")]
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ReadersWritersAndMaintenanceRunConcurrentlyWithoutErrors()
    {
        var io = new CrashableFileIO();
        var options = new LogOptions { SegmentBytes = 2048, IndexIntervalBytes = 128, MaxRecordBytes = 512, FileIO = io };
        await using var log = Log.Open("/crashfs/c", options, out _);
        using var done = new CancellationTokenSource();
        var acked = new System.Collections.Concurrent.ConcurrentDictionary<long, string>();

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                var value = $"w{w}-{i}";
                var offset = await log.AppendAsync(new LogRecord(Encoding.UTF8.GetBytes($"k{i % 13}"), Encoding.UTF8.GetBytes(value), 1000 + i));
                acked[offset] = value;
            }
        })).ToList();

        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            var position = 0L;
            while (!done.IsCancellationRequested)
            {
                var entries = log.Read(random.Next(3) == 0 ? random.NextInt64(0, Math.Max(1, log.ReadableEndOffset)) : position, 50);
                for (var i = 1; i < entries.Count; i++)
                {
                    Assert.True(entries[i].Offset > entries[i - 1].Offset);
                }

                foreach (var e in entries)
                {
                    Assert.True(e.Offset < log.ReadableEndOffset);
                    if (acked.TryGetValue(e.Offset, out var value))
                    {
                        Assert.Equal(value, TestRecords.Value(e));
                    }
                }

                if (entries.Count > 0)
                {
                    position = entries[^1].Offset + 1;
                }
                else
                {
                    try
                    {
                        await log.WaitForDataAsync(position, done.Token).WaitAsync(TimeSpan.FromMilliseconds(50));
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    catch (TimeoutException)
                    {
                    }
                }
            }
        })).ToList();

        var maintenance = Task.Run(() =>
        {
            var rounds = 0;
            while (!done.IsCancellationRequested)
            {
                log.Compact();
                log.DeleteSegmentsBefore(log.ReadableEndOffset / 3);
                rounds++;
            }

            return rounds;
        });

        await Task.WhenAll(writers);
        await done.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(await maintenance > 0);
        Assert.Equal(1200, acked.Count);
        Assert.Equal(1200, log.EndOffset);
        var latest = TestRecords.ReadAll(log);
        Assert.Equal(acked[1199], TestRecords.Value(latest[^1]));
    }
}

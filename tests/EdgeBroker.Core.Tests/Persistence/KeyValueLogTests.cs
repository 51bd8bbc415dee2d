namespace EdgeBroker.Core.Tests.Persistence;

using System.Text;
using EdgeBroker.Core.Persistence;
using EdgeBroker.Storage;

[Trait("Category", "Integration")]
public sealed class KeyValueLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static LogOptions Options => new() { Fsync = FsyncPolicy.Always, SegmentBytes = 4096, MaxRecordBytes = 2048 };

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(ReadOnlyMemory<byte> m) => Encoding.UTF8.GetString(m.Span);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SetGetDeleteAndSnapshot()
    {
        await using var kv = KeyValueLog.Open(_dir.Path, Options, out _);

        await kv.SetAsync("a", B("1"));
        await kv.SetAsync("b", B("2"));
        await kv.SetAsync("a", B("3"));
        var deleted = await kv.DeleteAsync("b");
        var deletedAgain = await kv.DeleteAsync("b");

        Assert.True(kv.TryGet("a", out var a));
        Assert.Equal("3", S(a));
        Assert.False(kv.TryGet("b", out _));
        Assert.True(deleted);
        Assert.False(deletedAgain);
        Assert.Equal(1, kv.Count);
        Assert.Equal(["a=3"], kv.Snapshot().Select(p => $"{p.Key}={S(p.Value)}"));
    }

    [Fact]
    public async Task ReopenReplaysTheLastValuePerKeyAndForgetsDeletedKeys()
    {
        await using (var kv = KeyValueLog.Open(_dir.Path, Options, out _))
        {
            await kv.SetAsync("sensors/1", B("old"));
            await kv.SetAsync("sensors/1", B("new"));
            await kv.SetAsync("sensors/2", B("x"));
            await kv.DeleteAsync("sensors/2");
            await kv.SetAsync("ünïcode", B("ok"));
        }

        await using var reopened = KeyValueLog.Open(_dir.Path, Options, out var report);

        Assert.Equal(["sensors/1=new", "ünïcode=ok"], reopened.Snapshot().Select(p => $"{p.Key}={S(p.Value)}").Order());
        Assert.Equal(5, report.EndOffset);
    }

    [Fact]
    public async Task CompactionKeepsTheLastValueAndShrinksTheLog()
    {
        await using (var kv = KeyValueLog.Open(_dir.Path, Options, out _, compactionMinRecords: 1_000_000))
        {
            for (var round = 0; round < 50; round++)
            {
                for (var k = 0; k < 5; k++)
                {
                    await kv.SetAsync($"k{k}", B($"v{round}-{new string('x', 40)}"));
                }
            }

            await kv.DeleteAsync("k4");
            var before = kv.SizeBytes;

            var result = kv.Compact();

            Assert.True(result.RecordsRemoved > 0, "compaction removed overwritten records");
            Assert.True(kv.SizeBytes < before, $"{kv.SizeBytes} < {before}");
            Assert.True(kv.RecordsInLog < 251);
        }

        await using var reopened = KeyValueLog.Open(_dir.Path, Options, out _);
        Assert.Equal(4, reopened.Count);
        for (var k = 0; k < 4; k++)
        {
            Assert.True(reopened.TryGet($"k{k}", out var v));
            Assert.StartsWith("v49-", S(v));
        }

        Assert.False(reopened.TryGet("k4", out _));
    }

    [Fact]
    public async Task CompactsInTheBackgroundWhenMostRecordsAreDead()
    {
        await using var kv = KeyValueLog.Open(_dir.Path, Options, out _, compactionMinRecords: 64, compactionDeadRatio: 0.5);

        for (var i = 0; i < 400; i++)
        {
            await kv.SetAsync("only", B($"value-{i}-{new string('y', 30)}"));
        }

        await Eventually.TrueAsync(() => kv.RecordsInLog < 400, "a background compaction ran");
        Assert.True(kv.TryGet("only", out var v));
        Assert.StartsWith("value-399-", S(v));
    }

    [Fact]
    public async Task ConcurrentWritesOfOneKeyEndInMemoryAsTheyWillAfterRestart()
    {
        string inMemory;
        await using (var kv = KeyValueLog.Open(_dir.Path, Options, out _))
        {
            await Task.WhenAll(Enumerable.Range(0, 64).Select(i => kv.SetAsync("k", B($"v{i}")).AsTask()));
            Assert.True(kv.TryGet("k", out var v));
            inMemory = S(v);
        }

        await using var reopened = KeyValueLog.Open(_dir.Path, Options, out _);
        Assert.True(reopened.TryGet("k", out var after));
        Assert.Equal(inMemory, S(after));
    }

    [Fact]
    public async Task SynchronousSetAndDeleteAreDurableWhenTheyReturn()
    {
        await using (var kv = KeyValueLog.Open(_dir.Path, Options, out _))
        {
            kv.Set("q:orders", B("declared"));
            kv.Set("q:temp", B("declared"));
            Assert.True(kv.Delete("q:temp"));
        }

        await using var reopened = KeyValueLog.Open(_dir.Path, Options, out _);
        Assert.Equal(["q:orders=declared"], reopened.Snapshot().Select(p => $"{p.Key}={S(p.Value)}"));
    }

    [Fact]
    public async Task RejectsEmptyKeys()
    {
        await using var kv = KeyValueLog.Open(_dir.Path, Options, out _);

        await Assert.ThrowsAsync<ArgumentException>(() => kv.SetAsync("", B("x")).AsTask());
    }
}

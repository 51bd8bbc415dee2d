namespace EdgeBroker.Core.Tests.Sessions;

using System.Text;
using EdgeBroker.Core.Sessions;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;

[Trait("Category", "Unit")]
public sealed class LogSessionStoreTests
{
    private static LogOptions Options => new() { Fsync = FsyncPolicy.Always, SegmentBytes = 4096, MaxRecordBytes = 2048 };

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static string S(ReadOnlyMemory<byte> m) => Encoding.UTF8.GetString(m.Span);

    [Fact]
    public async Task SavedSessionSurvivesReopen()
    {
        using var dir = new TempDirectory();
        await using (var store = LogSessionStore.Open(dir.Path, Options))
        {
            await store.SaveAsync("mqtt/a", B("one"));
            await store.SaveAsync("mqtt/b", B("two"));
            await store.SaveAsync("mqtt/a", B("three"));
        }

        await using var reopened = LogSessionStore.Open(dir.Path, Options);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("mqtt/a", out var a));
        Assert.Equal("three", S(a));
        var all = reopened.LoadAll().ToDictionary(p => p.Key, p => S(p.Value));
        Assert.Equal("two", all["mqtt/b"]);
    }

    [Fact]
    public async Task DeletedSessionStaysDeletedAfterReopen()
    {
        using var dir = new TempDirectory();
        await using (var store = LogSessionStore.Open(dir.Path, Options))
        {
            await store.SaveAsync("mqtt/a", B("one"));
            Assert.True(await store.DeleteAsync("mqtt/a"));
            Assert.False(await store.DeleteAsync("mqtt/missing"));
        }

        await using var reopened = LogSessionStore.Open(dir.Path, Options);
        Assert.Equal(0, reopened.Count);
        Assert.False(reopened.TryGet("mqtt/a", out _));
    }

    [Fact]
    public async Task ManyRewritesKeepOnlyTheLastStatePerSession()
    {
        using var dir = new TempDirectory();
        await using (var store = LogSessionStore.Open(dir.Path, Options))
        {
            for (var i = 0; i < 600; i++)
            {
                await store.SaveAsync("mqtt/c" + (i % 3), B("v" + i));
            }
        }

        await using var reopened = LogSessionStore.Open(dir.Path, Options);
        Assert.Equal(3, reopened.Count);
        Assert.True(reopened.TryGet("mqtt/c0", out var c0));
        Assert.Equal("v597", S(c0));
        Assert.True(reopened.TryGet("mqtt/c2", out var c2));
        Assert.Equal("v599", S(c2));
    }

    [Fact]
    public async Task InMemoryStoreKeepsLastValueAndDeletes()
    {
        await using var store = new InMemorySessionStore();
        await store.SaveAsync("k", B("1"));
        await store.SaveAsync("k", B("2"));
        Assert.True(store.TryGet("k", out var v));
        Assert.Equal("2", S(v));
        Assert.Single(store.LoadAll());
        Assert.True(await store.DeleteAsync("k"));
        Assert.Equal(0, store.Count);
    }
}

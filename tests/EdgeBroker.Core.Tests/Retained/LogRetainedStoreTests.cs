namespace EdgeBroker.Core.Tests.Retained;

using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;

[Trait("Category", "Integration")]
public sealed class LogRetainedStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();

    private LogOptions Options => new() { Fsync = FsyncPolicy.Always, SegmentBytes = 4096, MaxRecordBytes = 2048, Time = _time };

    public void Dispose() => _dir.Dispose();

    private static Message Retained(string topic, string text, TimeSpan? expiry = null, long timestampMs = 0) => new()
    {
        Topic = topic,
        Payload = Encoding.UTF8.GetBytes(text),
        Retain = true,
        Qos = QualityOfService.AtLeastOnce,
        ExpiryInterval = expiry,
        TimestampMs = timestampMs,
    };

    private static string TextOf(Message m) => Encoding.UTF8.GetString(m.Payload.Span);

    [Fact]
    public async Task AValueBeingWrittenIsMatchedBeforeItIsDurable()
    {
        await using var store = LogRetainedStore.Open(_dir.Path, Options);
        await store.SetAsync(Retained("a/1", "old"), CancellationToken.None);

        // Match right after the call, before awaiting the fsync: a subscriber arriving now must see the new value.
        var writing = store.SetAsync(Retained("a/1", "new"), CancellationToken.None);
        Assert.Equal("new", TextOf(Assert.Single(store.Match(_ => true))));
        var clearing = store.SetAsync(Retained("a/1", string.Empty), CancellationToken.None);
        Assert.Empty(store.Match(_ => true));

        Assert.Equal(TargetOutcome.Accepted, (await writing).Outcome);
        Assert.Equal(TargetOutcome.Accepted, (await clearing).Outcome);
        Assert.Empty(store.Match(_ => true));
    }

    [Fact]
    public async Task KeepsTheLastRetainedMessagePerTopic()
    {
        await using var store = LogRetainedStore.Open(_dir.Path, Options);

        await store.SetAsync(Retained("a/1", "x"), CancellationToken.None);
        await store.SetAsync(Retained("a/1", "y"), CancellationToken.None);
        await store.SetAsync(Retained("a/2", "z"), CancellationToken.None);

        Assert.Equal(2, store.Count);
        Assert.Equal(["y"], store.Match(t => t == "a/1").Select(TextOf));
        Assert.Equal(["y", "z"], store.Match(_ => true).Select(TextOf).Order());
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.1-10")]
    public async Task EmptyPayloadClearsTheTopic()
    {
        await using var store = LogRetainedStore.Open(_dir.Path, Options);
        await store.SetAsync(Retained("a/1", "x"), CancellationToken.None);

        var result = await store.SetAsync(new Message { Topic = "a/1", Retain = true }, CancellationToken.None);

        Assert.Equal(TargetOutcome.Accepted, result.Outcome);
        Assert.Equal(0, store.Count);
        Assert.Empty(store.Match(_ => true));
    }

    [Fact]
    public async Task SurvivesRestartIncludingClears()
    {
        await using (var store = LogRetainedStore.Open(_dir.Path, Options))
        {
            await store.SetAsync(Retained("a/1", "x"), CancellationToken.None);
            await store.SetAsync(Retained("a/2", "gone"), CancellationToken.None);
            await store.SetAsync(new Message { Topic = "a/2" }, CancellationToken.None);
            await store.SetAsync(Retained("a/1", "latest"), CancellationToken.None);
        }

        await using var reopened = LogRetainedStore.Open(_dir.Path, Options);

        Assert.Equal(1, reopened.Count);
        var m = Assert.Single(reopened.Match(_ => true));
        Assert.Equal(("a/1", "latest", QualityOfService.AtLeastOnce, true), (m.Topic, TextOf(m), m.Qos, m.Retain));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.2-5")]
    public async Task SkipsExpiredRetainedMessages()
    {
        await using var store = LogRetainedStore.Open(_dir.Path, Options, _time);
        await store.SetAsync(Retained("a/short", "s", TimeSpan.FromSeconds(5), _time.NowMs), CancellationToken.None);
        await store.SetAsync(Retained("a/long", "l", TimeSpan.FromHours(1), _time.NowMs), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(["l"], store.Match(_ => true).Select(TextOf));
    }

    [Fact]
    public async Task SweepClearsExpiredMessagesDurably()
    {
        await using (var store = LogRetainedStore.Open(_dir.Path, Options, _time))
        {
            await store.SetAsync(Retained("a/short", "s", TimeSpan.FromSeconds(5), _time.NowMs), CancellationToken.None);
            await store.SetAsync(Retained("a/long", "l", TimeSpan.FromHours(1), _time.NowMs), CancellationToken.None);
            _time.Advance(TimeSpan.FromSeconds(6));

            Assert.Equal(1, await store.SweepExpiredAsync());
            Assert.Equal(1, store.Count);
        }

        await using var reopened = LogRetainedStore.Open(_dir.Path, Options, _time);
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public async Task ConcurrentSetsOfOneTopicMatchWhatARestartSees()
    {
        string before;
        await using (var store = LogRetainedStore.Open(_dir.Path, Options))
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => store.SetAsync(Retained("hot", $"v{i}"), CancellationToken.None).AsTask()));
            before = TextOf(store.Match(_ => true).Single());
        }

        await using var reopened = LogRetainedStore.Open(_dir.Path, Options);
        Assert.Equal(before, TextOf(reopened.Match(_ => true).Single()));
    }
}

namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Tests.Persistence;
using EdgeBroker.Storage;
using static EdgeBroker.Core.Tests.Queues.MemoryQueueHarness;

/// <summary>F14: a long backlog stays on disk; only a bounded head is held in memory.</summary>
[Trait("Category", "Unit")]
public sealed class LogQueuePagingTests
{
    private readonly MemoryQueueHarness _h = new() { MaxResidentBytes = 200 };

    private static string[] Numbers(int count) => Enumerable.Range(0, count).Select(i => $"m{i:D3}").ToArray();

    [Fact]
    public async Task BacklogBeyondTheBudgetIsNotHeldInMemory()
    {
        var q = _h.Declare("orders");

        await PublishAsync(q, Numbers(100));

        Assert.InRange(q.ResidentBytes, 1, 200);
        Assert.Equal(100, q.Stats.Ready);
    }

    [Fact]
    public async Task PagedOutMessagesAreDeliveredInFifoOrder()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, Numbers(100));
        IQueueConsumer? consumer = null;
        var target = new RecordingTarget();
        target.OnDeliver = d => _ = consumer?.AckAsync(d.DeliveryTag).AsTask();
        consumer = q.AddConsumer(target, new ConsumerOptions { Prefetch = 10 });

        await AckWhatArrivedBeforeTheConsumerWasKnownAsync(consumer, target);

        await Eventually.TrueAsync(() => target.Received.Count == 100, "the whole backlog delivered");

        Assert.Equal(Numbers(100), target.Texts);
        Assert.Equal(0, q.Stats.Ready);
    }

    [Fact]
    public async Task PeekFetchAndExpiryReadPagedOutMessagesFromTheJournal()
    {
        var q = _h.Declare("orders", new QueueOptions { MessageTtl = TimeSpan.FromMinutes(1) });
        await PublishAsync(q, Numbers(50));

        Assert.Equal(Numbers(50), q.Peek(100).Select(TextOf));
        var fetched = await q.FetchAsync(30, CancellationToken.None);
        Assert.Equal(Numbers(30), fetched.Select(d => TextOf(d.Message)));

        _h.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(20, q.SweepExpired());
        await Eventually.TrueAsync(() => _h.Get("orders.dlq")?.Stats.Ready == 20, "expired backlog dead-lettered");
        Assert.Equal(Numbers(50).Skip(30), _h.Get("orders.dlq")!.Peek(100).Select(TextOf));
    }

    [Fact]
    public async Task ReopenKeepsOnlyABoundedHeadInMemory()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, Numbers(80));

        var reopened = _h.Reopen("orders");

        Assert.InRange(reopened.ResidentBytes, 1, 200);
        Assert.Equal(Numbers(80), reopened.Peek(100).Select(TextOf));
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task DiskBackedQueueDeliversABacklogLargerThanItsMemoryBudget()
    {
        using var dir = new TempDirectory();
        var options = new LogOptions { Fsync = FsyncPolicy.Never, SegmentBytes = 8192, MaxRecordBytes = 4096 };
        await using var store = LogQueueStore.Open(dir.Path, options, maintenanceInterval: TimeSpan.Zero, maxResidentBytesPerQueue: 500);
        var q = (LogQueue)store.Declare("orders", new QueueOptions());
        await PublishAsync(q, Numbers(300));
        Assert.InRange(q.ResidentBytes, 1, 500);
        IQueueConsumer? consumer = null;
        var target = new RecordingTarget();
        target.OnDeliver = d => _ = consumer?.AckAsync(d.DeliveryTag).AsTask();

        consumer = q.AddConsumer(target, new ConsumerOptions { Prefetch = 20 });
        await AckWhatArrivedBeforeTheConsumerWasKnownAsync(consumer, target);

        await Eventually.TrueAsync(() => target.Received.Count == 300, "the whole backlog delivered");
        Assert.Equal(Numbers(300), target.Texts);
    }

    // AddConsumer delivers before it returns, so the first deliveries arrive while the test's variable is still null.
    private static async Task AckWhatArrivedBeforeTheConsumerWasKnownAsync(IQueueConsumer consumer, RecordingTarget target)
    {
        foreach (var d in target.Received)
        {
            await consumer.AckAsync(d.DeliveryTag);
        }
    }
}

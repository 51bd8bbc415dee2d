namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Persistence;
using static EdgeBroker.Core.Tests.Queues.MemoryQueueHarness;

/// <summary>Queue semantics over an in-memory journal (the disk-backed store is covered by LogQueueStoreTests).</summary>
[Trait("Category", "Unit")]
public sealed class LogQueueTests
{
    private readonly MemoryQueueHarness _h = new();

    [Fact]
    public async Task DeliversInFifoOrderToASingleConsumer()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3", "4");
        var target = new RecordingTarget();

        q.AddConsumer(target, new ConsumerOptions { Prefetch = 0 });

        Assert.Equal(["1", "2", "3", "4"], target.Texts);
        Assert.All(target.Received, d => Assert.False(d.Redelivered));
        Assert.Equal(4, q.Stats.Unacked);
    }

    [Fact]
    public async Task RoundRobinsAcrossCompetingConsumers()
    {
        var q = _h.Declare("orders");
        var a = new RecordingTarget();
        var b = new RecordingTarget();
        q.AddConsumer(a, new ConsumerOptions());
        q.AddConsumer(b, new ConsumerOptions());

        await PublishAsync(q, "1", "2", "3", "4", "5", "6");

        Assert.Equal(["1", "3", "5"], a.Texts);
        Assert.Equal(["2", "4", "6"], b.Texts);
    }

    [Fact]
    public async Task PrefetchBoundsUnackedPerConsumerForFairDispatch()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3", "4", "5", "6", "7", "8");
        var slow = new RecordingTarget();
        var fast = new RecordingTarget();
        var slowConsumer = q.AddConsumer(slow, new ConsumerOptions { Prefetch = 1 });
        var fastConsumer = q.AddConsumer(fast, new ConsumerOptions { Prefetch = 3 });

        Assert.Single(slow.Received);
        Assert.Equal(3, fast.Received.Count);
        Assert.Equal(4, q.Stats.Ready);

        // Acking frees exactly one slot of credit for that consumer only.
        await fastConsumer.AckAsync(fast.Received[0].DeliveryTag);
        Assert.Equal(4, fast.Received.Count);
        Assert.Single(slow.Received);

        await slowConsumer.AckAsync(slow.Received[0].DeliveryTag);
        Assert.Equal(2, slow.Received.Count);
        Assert.Equal(2, q.Stats.Ready);
    }

    [Fact]
    public async Task AckRemovesTheMessageAndReachesTheJournal()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.AckAsync(target.Received[0].DeliveryTag);

        var stats = q.Stats;
        Assert.Equal((0, 0, 1L, 1L), (stats.Ready, stats.Unacked, stats.Acked, stats.Delivered));
        Assert.Equal(1, _h.Journal("orders").SettlementRecords);
    }

    [Fact]
    public async Task NackWithRequeueRedeliversMarkedRedeliveredWithCountPlusOne()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: true);

        Assert.Equal(2, target.Received.Count);
        var again = target.Received[1];
        Assert.True(again.Redelivered);
        Assert.Equal(2, again.DeliveryCount);
        Assert.NotEqual(target.Received[0].DeliveryTag, again.DeliveryTag);
        Assert.Equal(1, q.Stats.Redelivered);
    }

    [Fact]
    public async Task ReturnedMessagesGoBackToTheHeadInTheirOriginalOrder()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3", "4", "5");
        var first = new RecordingTarget();
        var consumer = q.AddConsumer(first, new ConsumerOptions { Prefetch = 3 });
        Assert.Equal(["1", "2", "3"], first.Texts);

        consumer.Dispose();
        var second = new RecordingTarget();
        q.AddConsumer(second, new ConsumerOptions { Prefetch = 0 });

        Assert.Equal(["1", "2", "3", "4", "5"], second.Texts);
        Assert.Equal([true, true, true, false, false], second.Received.Select(d => d.Redelivered));
    }

    [Fact]
    public async Task AckUpToAcknowledgesCumulativelyOnlyForThatConsumer()
    {
        var q = _h.Declare("orders");
        var a = new RecordingTarget();
        var b = new RecordingTarget();
        var ca = q.AddConsumer(a, new ConsumerOptions());
        q.AddConsumer(b, new ConsumerOptions());
        await PublishAsync(q, "1", "2", "3", "4", "5", "6");

        await ca.AckUpToAsync(a.Received[1].DeliveryTag); // a has 1, 3, 5: acks 1 and 3

        var stats = q.Stats;
        Assert.Equal(2, stats.Acked);
        Assert.Equal(4, stats.Unacked);
    }

    [Fact]
    public async Task ConsumerLossRedeliversItsUnackedToAnotherConsumer()
    {
        var q = _h.Declare("orders");
        var lost = new RecordingTarget();
        var lostConsumer = q.AddConsumer(lost, new ConsumerOptions());
        await PublishAsync(q, "1", "2");
        var survivor = new RecordingTarget();
        q.AddConsumer(survivor, new ConsumerOptions());

        lostConsumer.Dispose();

        Assert.Equal(["1", "2"], survivor.Texts);
        Assert.All(survivor.Received, d => Assert.True(d.Redelivered));
        Assert.Equal(1, q.Stats.Consumers);
    }

    [Fact]
    public async Task PurgeRemovesReadyMessagesButNotUnackedOnes()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3");
        q.AddConsumer(new RecordingTarget(), new ConsumerOptions { Prefetch = 1 });

        var purged = await q.PurgeAsync();

        Assert.Equal(2, purged);
        Assert.Equal((0L, 1L), (q.Stats.Ready, q.Stats.Unacked));
    }

    [Fact]
    public async Task PeekShowsTheHeadWithoutConsuming()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3");

        Assert.Equal(["1", "2"], q.Peek(2).Select(TextOf));
        Assert.Equal(3, q.Stats.Ready);
    }

    [Fact]
    public async Task FetchTakesAndAcknowledges()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3");

        var got = await q.FetchAsync(2, CancellationToken.None);

        Assert.Equal(["1", "2"], got.Select(d => TextOf(d.Message)));
        Assert.Equal((1L, 0L, 2L), (q.Stats.Ready, q.Stats.Unacked, q.Stats.Acked));
    }

    [Fact]
    public async Task AutoAckConsumerSettlesOnDelivery()
    {
        var q = _h.Declare("orders");
        var target = new RecordingTarget();
        q.AddConsumer(target, new ConsumerOptions { AutoAck = true, Prefetch = 1 });

        await PublishAsync(q, "1", "2", "3");

        Assert.Equal(["1", "2", "3"], target.Texts);
        Assert.Equal((0L, 3L), (q.Stats.Unacked, q.Stats.Acked));
        await Eventually.TrueAsync(() => _h.Journal("orders").SettlementRecords == 3, "auto-acks written");
    }

    [Fact]
    public async Task RefusedDeliveryGoesBackWithoutCountingAsDelivered()
    {
        var q = _h.Declare("orders");
        var full = new RecordingTarget { Accept = false };
        q.AddConsumer(full, new ConsumerOptions());
        await PublishAsync(q, "1");
        Assert.Equal(1, q.Stats.Ready);

        var other = new RecordingTarget();
        q.AddConsumer(other, new ConsumerOptions());

        var d = Assert.Single(other.Received);
        Assert.Equal(1, d.DeliveryCount);
        Assert.Equal(1, q.Stats.Delivered);
    }

    [Fact]
    public async Task ConsumerMayAckFromInsideTryDeliver()
    {
        var q = _h.Declare("orders");
        IQueueConsumer? consumer = null;
        var target = new RecordingTarget();
        target.OnDeliver = d => consumer!.AckAsync(d.DeliveryTag).AsTask().GetAwaiter().GetResult();
        consumer = q.AddConsumer(target, new ConsumerOptions { Prefetch = 1 });

        await PublishAsync(q, "1", "2", "3");

        Assert.Equal(["1", "2", "3"], target.Texts);
        Assert.Equal(3, q.Stats.Acked);
    }

    [Fact]
    public async Task ReopenKeepsExactlyTheUnackedMessagesMarkedRedelivered()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1", "2", "3", "4");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions { Prefetch = 2 });
        await consumer.AckAsync(target.Received[0].DeliveryTag); // "1" acked; "2" unacked; "3" delivered after the ack

        var reopened = _h.Reopen("orders");

        Assert.Equal(["2", "3", "4"], reopened.Peek(10).Select(TextOf));
        var again = new RecordingTarget();
        reopened.AddConsumer(again, new ConsumerOptions { Prefetch = 0 });
        Assert.All(again.Received, d => Assert.True(d.Redelivered));
        Assert.Equal(3, reopened.RecoveredMessages);
    }

    [Fact]
    public async Task UnknownDeliveryTagsAreIgnored()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "1");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.AckAsync(999);
        await consumer.NackAsync(999, requeue: false);

        Assert.Equal(1, q.Stats.Unacked);
    }

    [Fact]
    public async Task ConcurrentPublishersAndConsumersLoseAndDuplicateNothing()
    {
        var q = _h.Declare("orders");
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var consumers = new List<IQueueConsumer>();
        for (var c = 0; c < 3; c++)
        {
            IQueueConsumer? self = null;
            var target = new RecordingTarget();
            target.OnDeliver = d =>
            {
                seen.AddOrUpdate(TextOf(d.Message), 1, (_, n) => n + 1);
                _ = self!.AckAsync(d.DeliveryTag).AsTask();
            };
            self = q.AddConsumer(target, new ConsumerOptions { Prefetch = 5 });
            consumers.Add(self);
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                await PublishAsync(q, $"{p}-{i}");
            }
        })));

        await Eventually.TrueAsync(() => q.Stats.Acked == 1000, "all acked");
        Assert.Equal(1000, seen.Count);
        Assert.All(seen.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task ConsumerThatWasFullGetsTheMessageWhenItAsksToResume()
    {
        var q = _h.Declare("orders");
        var target = new RecordingTarget { Accept = false };
        q.AddConsumer(target, new ConsumerOptions());
        await PublishAsync(q, "1");
        Assert.Empty(target.Received);

        target.Accept = true;
        q.ResumeDelivery();

        Assert.Equal(["1"], target.Texts);
    }
}

namespace EdgeBroker.Core.Tests.Queues;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Persistence;
using static EdgeBroker.Core.Tests.Queues.MemoryQueueHarness;

/// <summary>Dead-lettering, TTL and max length over an in-memory journal.</summary>
[Trait("Category", "Unit")]
public sealed class LogQueueDeadLetterTests
{
    private readonly MemoryQueueHarness _h = new();

    private static string Header(Message m, string name) => m.Headers.Single(h => h.Name == name).Value;

    [Fact]
    public async Task DeliveryLimitDeadLettersWithReasonHeaders()
    {
        var q = _h.Declare("orders", new QueueOptions { DeliveryLimit = 2 });
        await PublishAsync(q, "poison");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: true);
        await consumer.NackAsync(target.Received[1].DeliveryTag, requeue: true);

        Assert.Equal(2, target.Received.Count);
        var dlq = _h.Get("orders.dlq")!;
        var dead = Assert.Single(dlq.Peek(10));
        Assert.Equal("poison", TextOf(dead));
        Assert.Equal("delivery-limit", Header(dead, "x-death-reason"));
        Assert.Equal("orders", Header(dead, "x-original-queue"));
        Assert.Equal("2", Header(dead, "x-delivery-count"));
        Assert.Equal((0L, 1L), (q.Stats.Ready, q.Stats.DeadLettered));
    }

    [Fact]
    public async Task NackWithoutRequeueDeadLettersAsRejected()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "bad");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: false);

        var dead = Assert.Single(_h.Get("orders.dlq")!.Peek(10));
        Assert.Equal("rejected", Header(dead, "x-death-reason"));
        Assert.Single(target.Received);
    }

    [Fact]
    public async Task QueueTtlExpiresMessagesAtDispatchIntoTheDeadLetterQueue()
    {
        var q = _h.Declare("orders", new QueueOptions { MessageTtl = TimeSpan.FromSeconds(10) });
        await PublishAsync(q, "old");
        _h.Time.Advance(TimeSpan.FromSeconds(11));
        await PublishAsync(q, "fresh");
        var target = new RecordingTarget();

        q.AddConsumer(target, new ConsumerOptions());

        Assert.Equal(["fresh"], target.Texts);
        await Eventually.TrueAsync(() => _h.Get("orders.dlq")?.Stats.Ready == 1, "expired message dead-lettered");
        var dead = _h.Get("orders.dlq")!.Peek(1)[0];
        Assert.Equal("expired", Header(dead, "x-death-reason"));
        Assert.Null(dead.ExpiryInterval);
    }

    [Fact]
    public async Task SweepDeadLettersMessagesWhoseOwnExpiryPassed()
    {
        var q = _h.Declare("orders");
        await q.AcceptAsync(Text("short", TimeSpan.FromSeconds(5), _h.Time.NowMs), CancellationToken.None);
        await q.AcceptAsync(Text("long", TimeSpan.FromHours(1), _h.Time.NowMs), CancellationToken.None);
        Assert.Equal(0, q.SweepExpired());

        _h.Time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal(1, q.SweepExpired());
        Assert.Equal(["long"], q.Peek(10).Select(TextOf));
        await Eventually.TrueAsync(() => _h.Get("orders.dlq")?.Stats.Ready == 1, "expired message dead-lettered");
    }

    [Fact]
    public async Task MaxLengthWithRejectPublishRefusesAndCounts()
    {
        var q = _h.Declare("orders", new QueueOptions { MaxLength = 2, Overflow = QueueOverflow.RejectPublish });
        await PublishAsync(q, "1", "2");

        var result = await q.AcceptAsync(Text("3"), CancellationToken.None);

        Assert.Equal(TargetOutcome.Rejected, result.Outcome);
        Assert.Contains("full", result.Reason);
        Assert.Equal(["1", "2"], q.Peek(10).Select(TextOf));
        Assert.Equal(1, q.Stats.Rejected);
    }

    [Fact]
    public async Task MaxLengthWithDropHeadDeadLettersTheOldestAndCounts()
    {
        var q = _h.Declare("orders", new QueueOptions { MaxLength = 2, Overflow = QueueOverflow.DropHead });
        await PublishAsync(q, "1", "2", "3");

        Assert.Equal(["2", "3"], q.Peek(10).Select(TextOf));
        Assert.Equal(1, q.Stats.Dropped);
        await Eventually.TrueAsync(() => _h.Get("orders.dlq")?.Stats.Ready == 1, "dropped head dead-lettered");
        Assert.Equal("max-length", Header(_h.Get("orders.dlq")!.Peek(1)[0], "x-death-reason"));
    }

    [Fact]
    public async Task UnackedMessagesCountTowardsMaxLength()
    {
        var q = _h.Declare("orders", new QueueOptions { MaxLength = 1 });
        q.AddConsumer(new RecordingTarget(), new ConsumerOptions());
        await PublishAsync(q, "1");

        var result = await q.AcceptAsync(Text("2"), CancellationToken.None);

        Assert.Equal(TargetOutcome.Rejected, result.Outcome);
    }

    [Fact]
    public async Task EmptyDeadLetterQueueDropsAndCounts()
    {
        var q = _h.Declare("orders", new QueueOptions { DeadLetterQueue = "" });
        await PublishAsync(q, "bad");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: false);

        Assert.Null(_h.Get("orders.dlq"));
        Assert.Equal((1L, 0L), (q.Stats.Dropped, q.Stats.DeadLettered));
    }

    [Fact]
    public async Task ConsumerLossAtTheDeliveryLimitDeadLettersInsteadOfRequeueing()
    {
        var q = _h.Declare("orders", new QueueOptions { DeliveryLimit = 1 });
        await PublishAsync(q, "1");
        var consumer = q.AddConsumer(new RecordingTarget(), new ConsumerOptions());

        consumer.Dispose();

        await Eventually.TrueAsync(() => _h.Get("orders.dlq")?.Stats.Ready == 1, "dead-lettered on consumer loss");
        Assert.Equal(0, q.Stats.Ready);
        Assert.Equal("delivery-limit", Header(_h.Get("orders.dlq")!.Peek(1)[0], "x-death-reason"));
    }

    [Fact]
    public async Task DeadLetterCopyKeepsPayloadAndHeadersAndSharesTheBuffer()
    {
        var q = _h.Declare("orders");
        var original = Text("body");
        var withHeaders = new Message { Topic = "t", Payload = original.Payload, Headers = [new MessageHeader("app", "1")], Retain = true };
        await q.AcceptAsync(withHeaders, CancellationToken.None);
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());

        await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: false);

        var dead = _h.Get("orders.dlq")!.Peek(1)[0];
        Assert.Equal(["app", "x-death-reason", "x-original-queue", "x-delivery-count"], dead.Headers.Select(h => h.Name));
        Assert.False(dead.Retain);
        Assert.True(dead.Payload.Span == withHeaders.Payload.Span, "payload buffer shared, not copied");
    }

    [Fact]
    public async Task DeadLetterQueueDropsItsOwnRejectsInsteadOfChaining()
    {
        var q = _h.Declare("orders");
        await PublishAsync(q, "x");
        var target = new RecordingTarget();
        var consumer = q.AddConsumer(target, new ConsumerOptions());
        await consumer.NackAsync(target.Received[0].DeliveryTag, requeue: false);
        var dlq = _h.Get("orders.dlq")!;
        var dlqTarget = new RecordingTarget();
        var dlqConsumer = dlq.AddConsumer(dlqTarget, new ConsumerOptions());

        await dlqConsumer.NackAsync(dlqTarget.Received[0].DeliveryTag, requeue: false);

        Assert.Null(_h.Get("orders.dlq.dlq"));
        Assert.Equal(1, dlq.Stats.Dropped);
    }
}

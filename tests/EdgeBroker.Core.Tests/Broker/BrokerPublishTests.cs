namespace EdgeBroker.Core.Tests.Broker;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Tests.Broker.Fakes;
using EdgeBroker.Core.Topics;

[Trait("Category", "Unit")]
public sealed class BrokerPublishTests
{
    private static readonly ClientIdentity Device = new(ProtocolKind.Mqtt, "device-1", "dev", null);

    private readonly BrokerFixture _f = new();

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 5 s");
            await Task.Yield();
        }
    }

    [Fact]
    public async Task DeliversOneCallPerSubscriberWithAllItsMatchingSubscriptions()
    {
        var alice = new RecordingSubscriber("alice");
        var bob = new RecordingSubscriber("bob");
        _f.Broker.Subscribe(alice, "sensors/+/temp", new SubscriptionOptions { SubscriptionIdentifier = 1 });
        _f.Broker.Subscribe(alice, "sensors/#", new SubscriptionOptions { SubscriptionIdentifier = 2 });
        _f.Broker.Subscribe(bob, "sensors/room1/temp", new SubscriptionOptions());
        _f.Broker.Subscribe(alice, "#", new SubscriptionOptions { SubscriptionIdentifier = 3 });

        var result = await _f.Broker.PublishAsync(_f.Message("sensors/room1/temp"), null);

        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 0, 2), result);
        var delivery = Assert.Single(alice.Deliveries);
        Assert.Equal(["#", "sensors/#", "sensors/+/temp"], delivery.Filters);
        Assert.False(delivery.IsRetained);
        Assert.Equal(["sensors/room1/temp"], Assert.Single(bob.Deliveries).Filters);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.8.3-3")]
    public async Task DoesNotDeliverOwnPublishesToANoLocalSubscription()
    {
        var device = new RecordingSubscriber("device-1");
        _f.Broker.Subscribe(device, "cmd/#", new SubscriptionOptions { NoLocal = true });

        await _f.Broker.PublishAsync(_f.Message("cmd/reboot", fromClient: "device-1"), null);
        Assert.Empty(device.Deliveries);

        await _f.Broker.PublishAsync(_f.Message("cmd/reboot", fromClient: "operator"), null);
        Assert.Single(device.Deliveries);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.8.3-3")]
    public async Task LeavesOnlyTheNoLocalSubscriptionOutOfTheMatchedSet()
    {
        var device = new RecordingSubscriber("device-1");
        _f.Broker.Subscribe(device, "cmd/#", new SubscriptionOptions { NoLocal = true });
        _f.Broker.Subscribe(device, "cmd/+", new SubscriptionOptions());

        await _f.Broker.PublishAsync(_f.Message("cmd/reboot", fromClient: "device-1"), null);

        Assert.Equal(["cmd/+"], Assert.Single(device.Deliveries).Filters);
    }

    [Fact]
    public async Task NoLocalComparesTheProtocolToo()
    {
        var stomp = new RecordingSubscriber("device-1", ProtocolKind.Stomp);
        _f.Broker.Subscribe(stomp, "cmd/#", new SubscriptionOptions { NoLocal = true });

        await _f.Broker.PublishAsync(_f.Message("cmd/reboot", fromClient: "device-1"), null);

        Assert.Single(stomp.Deliveries);
    }

    [Fact]
    [Trait("Spec", "MQTT-4.7.2-1")]
    public async Task DoesNotDeliverDollarTopicsToLeadingWildcards()
    {
        var all = new RecordingSubscriber("all");
        var sys = new RecordingSubscriber("sys");
        _f.Broker.Subscribe(all, "#", new SubscriptionOptions());
        _f.Broker.Subscribe(all, "+/broker/uptime", new SubscriptionOptions());
        _f.Broker.Subscribe(sys, "$SYS/#", new SubscriptionOptions());

        await _f.Broker.PublishAsync(_f.Message("$SYS/broker/uptime"), publisher: null);

        Assert.Empty(all.Deliveries);
        Assert.Single(sys.Deliveries);
    }

    [Fact]
    public async Task RefusesClientPublishesToReservedTopics()
    {
        var result = await _f.Broker.PublishAsync(_f.Message("$SYS/fake"), Device);
        Assert.Equal(PublishOutcome.NotAuthorized, result.Outcome);

        var open = new BrokerFixture(new BrokerOptions { AllowClientPublishToReservedTopics = true });
        Assert.True((await open.Broker.PublishAsync(open.Message("$SYS/fake"), Device)).IsAcknowledged);
    }

    [Fact]
    public async Task SkipsMessagesThatExpiredBeforeRouting()
    {
        var sub = new RecordingSubscriber("s");
        _f.Broker.Subscribe(sub, "a", new SubscriptionOptions());
        var message = _f.Message("a", expiry: TimeSpan.FromSeconds(1));
        _f.Clock.Now += TimeSpan.FromSeconds(2);

        var result = await _f.Broker.PublishAsync(message, null);

        Assert.Equal(PublishOutcome.Accepted, result.Outcome);
        Assert.Empty(sub.Deliveries);
    }

    [Fact]
    public async Task AnswersNoMatchingSubscribersWhenNothingMatched()
    {
        var result = await _f.Broker.PublishAsync(_f.Message("nobody/listens"), Device);
        Assert.Equal(PublishOutcome.NoMatchingSubscribers, result.Outcome);
        Assert.True(result.IsAcknowledged);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.2-2")]
    public async Task RejectsPublishWithWildcardInTopicName()
    {
        var result = await _f.Broker.PublishAsync(_f.Message("a/+"), Device);
        Assert.Equal(PublishOutcome.InvalidTopic, result.Outcome);
        Assert.Contains("MQTT-3.3.2-2", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_f.Authorizer.Asked);
    }

    [Fact]
    public async Task RefusesWhenTheHookDeniesAndNeverRoutes()
    {
        var sub = new RecordingSubscriber("s");
        _f.Broker.Subscribe(sub, "#", new SubscriptionOptions());
        _f.Authorizer.Publish = (_, topic) => topic != "secret";

        var result = await _f.Broker.PublishAsync(_f.Message("secret"), Device);

        Assert.Equal(PublishOutcome.NotAuthorized, result.Outcome);
        Assert.False(result.IsAcknowledged);
        Assert.Empty(sub.Deliveries);
        Assert.Equal(1, _f.Broker.Counters.PublishesRefused);
        Assert.Equal(0, _f.Broker.Counters.MessagesIn);
    }

    [Fact]
    public async Task InternalPublishesSkipTheHook()
    {
        _f.Authorizer.Publish = (_, _) => false;
        var result = await _f.Broker.PublishAsync(_f.Message("a"), publisher: null);
        Assert.True(result.IsAcknowledged);
    }

    [Fact]
    public async Task CountsMessagesBytesAndDrops()
    {
        var fast = new RecordingSubscriber("fast");
        var full = new RecordingSubscriber("full") { Accept = false };
        _f.Broker.Subscribe(fast, "a", new SubscriptionOptions());
        _f.Broker.Subscribe(full, "a", new SubscriptionOptions());

        await _f.Broker.PublishAsync(_f.Message("a", payload: "12345"), null);

        var counters = _f.Broker.Counters;
        Assert.Equal((1, 5, 1, 5, 1), (counters.MessagesIn, counters.BytesIn, counters.MessagesOut, counters.BytesOut, counters.MessagesDropped));
    }

    [Fact]
    [Trait("Spec", "R3")]
    public async Task AcknowledgesOnlyAfterEveryDurableTargetAccepted()
    {
        var first = new GatedTarget();
        var second = new GatedTarget();
        BindQueue("q1", "orders/#").Behaviour = first.WaitAsync;
        BindQueue("q2", "orders/+").Behaviour = second.WaitAsync;

        var publish = _f.Broker.PublishAsync(_f.Message("orders/new"), Device).AsTask();
        await WaitUntil(() => first.Started && second.Started);
        Assert.False(publish.IsCompleted);

        first.Release(TargetResult.Accepted);
        await Task.Yield();
        Assert.False(publish.IsCompleted);

        second.Release(TargetResult.Accepted);
        var result = await publish;

        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 2, 0), result);
    }

    [Fact]
    [Trait("Spec", "R3")]
    public async Task AFailedDurableTargetMeansNoAcknowledgementEvenWhenOthersAccepted()
    {
        var slow = new GatedTarget();
        BindQueue("good", "orders/#").Behaviour = slow.WaitAsync;
        BindQueue("broken", "orders/#").Behaviour = _ => new(TargetResult.Failed("fsync: EIO"));

        var publish = _f.Broker.PublishAsync(_f.Message("orders/new"), Device).AsTask();
        await WaitUntil(() => slow.Started);

        // The failure is known at once, yet the result still waits for the slow target (every target is awaited).
        Assert.False(publish.IsCompleted);
        slow.Release(TargetResult.Accepted);
        var result = await publish;

        Assert.Equal(PublishOutcome.Failed, result.Outcome);
        Assert.Equal("fsync: EIO", result.Reason);
        Assert.False(result.IsAcknowledged);
        Assert.Equal(1, _f.Broker.Counters.PublishesRefused);
    }

    [Fact]
    [Trait("Spec", "R12")]
    public async Task ARejectingQueueMakesThePublishRejected()
    {
        BindQueue("full", "orders/#").Behaviour = _ => new(TargetResult.Rejected("max length reached"));
        BindQueue("fine", "orders/#");

        var result = await _f.Broker.PublishAsync(_f.Message("orders/new"), Device);

        Assert.Equal(new PublishResult(PublishOutcome.Rejected, 2, 0, "max length reached"), result);
    }

    [Fact]
    public async Task ATargetThatThrowsCountsAsFailed()
    {
        BindQueue("throws", "x").Behaviour = _ => throw new IOException("disk gone");
        BindQueue("faults", "x").Behaviour = async _ =>
        {
            await Task.Yield();
            throw new IOException("late failure");
        };

        var result = await _f.Broker.PublishAsync(_f.Message("x"), Device);

        Assert.Equal(PublishOutcome.Failed, result.Outcome);
        Assert.Contains("disk gone", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Spec", "R3")]
    public async Task LiveSubscribersAreDeliveredBeforeDurableTargetsFinish()
    {
        var live = new RecordingSubscriber("live");
        _f.Broker.Subscribe(live, "orders/#", new SubscriptionOptions());
        var gate = new GatedTarget();
        BindQueue("q", "orders/#").Behaviour = gate.WaitAsync;

        var publish = _f.Broker.PublishAsync(_f.Message("orders/new"), Device).AsTask();

        Assert.Single(live.Deliveries);
        Assert.False(publish.IsCompleted);
        gate.Release(TargetResult.Accepted);
        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 1, 1), await publish);
    }

    [Fact]
    public void APublishWithOnlyLiveSubscribersCompletesSynchronously()
    {
        _f.Broker.Subscribe(new RecordingSubscriber("live"), "a", new SubscriptionOptions());
        var publish = _f.Broker.PublishAsync(_f.Message("a"), Device);
        Assert.True(publish.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AQueueBoundByTwoPatternsGetsTheMessageOnce()
    {
        var queue = BindQueue("q", "a/#");
        _f.Broker.Topology.Bind(new BindingSpec(IBroker.DefaultExchange, "a/+", BindingTargetKind.Queue, "q"));

        var result = await _f.Broker.PublishAsync(_f.Message("a/b"), Device);

        Assert.Equal(1, result.DurableTargets);
        Assert.Single(queue.Accepted);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.1-5")]
    public async Task StoresRetainedMessagesAsADurableTarget()
    {
        var gate = new GatedTarget();
        _f.Retained.Behaviour = gate.WaitAsync;

        var publish = _f.Broker.PublishAsync(_f.Message("status/door", payload: "open", retain: true), Device).AsTask();
        await WaitUntil(() => gate.Started);
        Assert.False(publish.IsCompleted);
        gate.Release(TargetResult.Accepted);

        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 1, 0), await publish);
        Assert.Equal("open", System.Text.Encoding.UTF8.GetString(_f.Retained.Get("status/door")!.Payload.Span));
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.1-6")]
    public async Task AnEmptyRetainedPayloadClearsTheRetainedMessage()
    {
        await _f.Broker.PublishAsync(_f.Message("status/door", payload: "open", retain: true), Device);
        await _f.Broker.PublishAsync(_f.Message("status/door", payload: "", retain: true), Device);
        Assert.Equal(0, _f.Retained.Count);
    }

    [Fact]
    public async Task ARetainedStoreFailureIsNotAcknowledged()
    {
        _f.Retained.Behaviour = _ => new(TargetResult.Failed("read-only log"));
        var result = await _f.Broker.PublishAsync(_f.Message("a", retain: true), Device);
        Assert.Equal(PublishOutcome.Failed, result.Outcome);
    }

    [Fact]
    public async Task RoutesThroughANamedExchange()
    {
        _f.Broker.Topology.DeclareExchange("broadcast", ExchangeType.Fanout);
        _f.Broker.Topology.DeclareQueue("a", new QueueOptions());
        _f.Broker.Topology.DeclareQueue("b", new QueueOptions());
        _f.Broker.Topology.Bind(new BindingSpec("broadcast", "", BindingTargetKind.Queue, "a"));
        _f.Broker.Topology.Bind(new BindingSpec("broadcast", "", BindingTargetKind.Queue, "b"));
        var live = new RecordingSubscriber("live");
        _f.Broker.Subscribe(live, "#", new SubscriptionOptions());

        var result = await _f.Broker.PublishToExchangeAsync("broadcast", _f.Message("any"), Device);

        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 2, 0), result);
        Assert.Single(_f.Queues.Queue("a").Accepted);
        Assert.Empty(live.Deliveries);
    }

    [Fact]
    public async Task PublishingToTheDefaultExchangeByNameIsAPlainPublish()
    {
        var live = new RecordingSubscriber("live");
        _f.Broker.Subscribe(live, "#", new SubscriptionOptions());
        await _f.Broker.PublishToExchangeAsync(IBroker.DefaultExchange, _f.Message("x"), Device);
        Assert.Single(live.Deliveries);
    }

    [Fact]
    public async Task AnUnknownExchangeIsAnInvalidTopic()
    {
        var result = await _f.Broker.PublishToExchangeAsync("nope", _f.Message("x"), Device);
        Assert.Equal(PublishOutcome.InvalidTopic, result.Outcome);
    }

    [Fact]
    [Trait("Spec", "R3")]
    public async Task ANonDurableBoundTargetNeverDelaysTheAcknowledgement()
    {
        var gate = new GatedTarget();
        var queue = BindQueue("transient", "a");
        queue.IsDurable = false;
        queue.Behaviour = gate.WaitAsync;

        var publish = _f.Broker.PublishAsync(_f.Message("a"), Device);

        Assert.True(publish.IsCompletedSuccessfully);
        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 0, 1), await publish);
        gate.Release(TargetResult.Accepted);
        await WaitUntil(() => queue.Accepted.Count == 1);
    }

    [Fact]
    public async Task EnforcesTheConfiguredTopicLimits()
    {
        var strict = new BrokerFixture(new BrokerOptions { TopicLimits = new TopicLimits { MaxLevels = 3, MaxBytes = 20 } });

        Assert.True((await strict.Broker.PublishAsync(strict.Message("a/b/c"), Device)).IsAcknowledged);
        Assert.Equal(PublishOutcome.InvalidTopic, (await strict.Broker.PublishAsync(strict.Message("a/b/c/d"), Device)).Outcome);
        Assert.Equal(PublishOutcome.InvalidTopic, (await strict.Broker.PublishAsync(strict.Message(new string('x', 21)), Device)).Outcome);
        Assert.Throws<ArgumentException>(() => strict.Broker.Subscribe(new RecordingSubscriber("s"), "a/b/c/#", new SubscriptionOptions()));
    }

    [Fact]
    public void RejectsOutOfRangeOptions()
    {
        Assert.Throws<ArgumentException>(() => new BrokerFixture(new BrokerOptions { TopicLimits = new TopicLimits { MaxBytes = 70_000 } }));
        Assert.Throws<ArgumentException>(() => new BrokerFixture(new BrokerOptions { TopicLimits = new TopicLimits { MaxLevels = 0 } }));
        Assert.Throws<ArgumentException>(() => new BrokerFixture(new BrokerOptions { MatchCacheCapacity = -1 }));
    }

    [Fact]
    public async Task CancellationBeforeADurableTargetAcceptsIsAFailure()
    {
        using var cts = new CancellationTokenSource();
        BindQueue("q", "a").Behaviour = async _ =>
        {
            await new TaskCompletionSource().Task.WaitAsync(cts.Token);
            return TargetResult.Accepted;
        };

        var publish = _f.Broker.PublishAsync(_f.Message("a"), Device, cts.Token).AsTask();
        await cts.CancelAsync();
        var result = await publish;

        Assert.Equal(PublishOutcome.Failed, result.Outcome);
        Assert.False(result.IsAcknowledged);
    }

    private FakeDurableQueue BindQueue(string queue, string pattern)
    {
        _f.Broker.Topology.Bind(new BindingSpec(IBroker.DefaultExchange, pattern, BindingTargetKind.Queue, queue));
        return _f.Queues.Queue(queue);
    }
}

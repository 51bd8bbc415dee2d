namespace EdgeBroker.Core.Tests.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Broker.Fakes;
using CoreBroker = global::EdgeBroker.Core.Broker.Broker;

[Trait("Category", "Unit")]
public sealed class BrokerSubscribeTests
{
    private readonly BrokerFixture _f = new();

    [Theory]
    [InlineData("a/#/b")]
    [InlineData("a+")]
    [InlineData("")]
    [Trait("Spec", "MQTT-4.7.1-1")]
    public void RejectsInvalidFiltersWithArgumentException(string filter)
    {
        Assert.Throws<ArgumentException>(() => _f.Broker.Subscribe(new RecordingSubscriber("s"), filter, new SubscriptionOptions()));
        Assert.Equal(0, _f.Broker.SubscriptionCount);
    }

    [Fact]
    public void SendsSharedSubscriptionsToQueues()
    {
        var ex = Assert.Throws<ArgumentException>(() => _f.Broker.Subscribe(new RecordingSubscriber("s"), "$share/g/a/#", new SubscriptionOptions()));
        Assert.Contains("queue", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowsUnauthorizedWhenTheHookDeniesAndRegistersNothing()
    {
        _f.Authorizer.Subscribe = (_, filter) => filter != "secret/#";
        Assert.Throws<UnauthorizedAccessException>(() => _f.Broker.Subscribe(new RecordingSubscriber("s"), "secret/#", new SubscriptionOptions()));
        Assert.Equal(0, _f.Broker.SubscriptionCount);
        Assert.Contains("subscribe secret/#", _f.Authorizer.Asked);
    }

    [Fact]
    [Trait("Spec", "MQTT-3.3.1-9")]
    public async Task DeliversMatchingRetainedMessagesOnSubscribe()
    {
        await _f.Broker.PublishAsync(_f.Message("status/door", payload: "open", retain: true), null);
        await _f.Broker.PublishAsync(_f.Message("status/window", payload: "shut", retain: true), null);
        await _f.Broker.PublishAsync(_f.Message("other/x", payload: "x", retain: true), null);
        var sub = new RecordingSubscriber("s");

        var subscription = _f.Broker.Subscribe(sub, "status/+", new SubscriptionOptions());

        Assert.Equal(2, sub.Deliveries.Count);
        Assert.All(sub.Deliveries, d => Assert.True(d.IsRetained));
        Assert.All(sub.Deliveries, d => Assert.Same(subscription, Assert.Single(d.Matched)));
        Assert.Equal(["status/door", "status/window"], sub.Deliveries.Select(d => d.Message.Topic));
        Assert.Equal(2, _f.Broker.Counters.RetainedDelivered);
    }

    [Fact]
    public async Task ASubscriptionAddedWhileARetainedPublishIsBeingRoutedStillGetsIt()
    {
        // The late subscription is added after live matching of the publish, while the retained write is not yet
        // durable: it must get the message from the retained store (it cannot get it live any more).
        var write = new GatedTarget();
        _f.Retained.Behaviour = write.WaitAsync;
        var late = new RecordingSubscriber("late");
        var early = new RecordingSubscriber("early") { OnDeliver = _ => _f.Broker.Subscribe(late, "status/#", new SubscriptionOptions()) };
        _f.Broker.Subscribe(early, "status/door", new SubscriptionOptions());

        var publish = _f.Broker.PublishAsync(_f.Message("status/door", payload: "open", retain: true), null);

        var delivered = Assert.Single(late.Deliveries);
        Assert.True(delivered.IsRetained);
        Assert.Equal("status/door", delivered.Message.Topic);
        write.Release(TargetResult.Accepted);
        Assert.Equal(PublishOutcome.Accepted, (await publish).Outcome);
    }

    [Fact]
    public async Task ARetainedWriteThatFailsIsWithdrawnFromLaterSubscribers()
    {
        var write = new GatedTarget();
        _f.Retained.Behaviour = write.WaitAsync;
        var publish = _f.Broker.PublishAsync(_f.Message("status/door", payload: "open", retain: true), null);
        write.Release(TargetResult.Failed("fsync: EIO"));
        Assert.Equal(PublishOutcome.Failed, (await publish).Outcome);

        var sub = new RecordingSubscriber("s");
        _f.Broker.Subscribe(sub, "status/#", new SubscriptionOptions());

        Assert.Empty(sub.Deliveries);
    }

    [Fact]
    public async Task SkipsRetainedMessagesWhenAskedTo()
    {
        await _f.Broker.PublishAsync(_f.Message("status/door", retain: true), null);
        var sub = new RecordingSubscriber("s");
        _f.Broker.Subscribe(sub, "status/#", new SubscriptionOptions(), sendRetained: false);
        Assert.Empty(sub.Deliveries);
    }

    [Fact]
    [Trait("Spec", "MQTT-4.7.2-1")]
    public async Task DoesNotSendRetainedDollarTopicsToALeadingWildcard()
    {
        await _f.Broker.PublishAsync(_f.Message("$SYS/version", retain: true), null);
        var all = new RecordingSubscriber("all");
        _f.Broker.Subscribe(all, "#", new SubscriptionOptions());
        Assert.Empty(all.Deliveries);
    }

    [Fact]
    public async Task DoesNotSendExpiredRetainedMessages()
    {
        await _f.Broker.PublishAsync(_f.Message("status/door", retain: true, expiry: TimeSpan.FromSeconds(10)), null);
        _f.Clock.Now += TimeSpan.FromSeconds(11);
        var sub = new RecordingSubscriber("s");
        _f.Broker.Subscribe(sub, "status/#", new SubscriptionOptions());
        Assert.Empty(sub.Deliveries);
    }

    [Fact]
    public async Task DisposingUnsubscribes()
    {
        var sub = new RecordingSubscriber("s");
        var subscription = _f.Broker.Subscribe(sub, "a", new SubscriptionOptions());
        Assert.Equal(1, _f.Broker.SubscriptionCount);

        subscription.Dispose();
        subscription.Dispose();
        await _f.Broker.PublishAsync(_f.Message("a"), null);

        Assert.Equal(0, _f.Broker.SubscriptionCount);
        Assert.Empty(sub.Deliveries);
    }

    [Fact]
    public void ExposesWhatWasSubscribed()
    {
        var sub = new RecordingSubscriber("s");
        var options = new SubscriptionOptions { MaxQos = QualityOfService.AtLeastOnce, Tag = "sub-0" };
        var subscription = _f.Broker.Subscribe(sub, "a/+", options);
        Assert.Same(sub, subscription.Subscriber);
        Assert.Equal("a/+", subscription.Filter);
        Assert.Same(options, subscription.Options);
    }

    [Fact]
    [Trait("Spec", "MQTT-4.8.2-2")]
    public void NamesSharedSubscriptionQueuesSafelyAndDeterministically()
    {
        var name = CoreBroker.SharedSubscriptionQueueName("workers", "jobs/+/new");

        Assert.Equal(name, CoreBroker.SharedSubscriptionQueueName("workers", "jobs/+/new"));
        Assert.StartsWith("share.workers.jobs._.new.", name, StringComparison.Ordinal);
        Assert.Matches("^[A-Za-z0-9._-]+$", name);
        Assert.NotEqual(name, CoreBroker.SharedSubscriptionQueueName("workers", "jobs/#/new".Replace("#/new", "+", StringComparison.Ordinal)));
        Assert.NotEqual(CoreBroker.SharedSubscriptionQueueName("g", "a/+"), CoreBroker.SharedSubscriptionQueueName("g", "a/#"));
        Assert.True(CoreBroker.SharedSubscriptionQueueName("g", new string('x', 5000)).Length < 120);
        Assert.Throws<ArgumentException>(() => CoreBroker.SharedSubscriptionQueueName("g+", "a"));
        Assert.Throws<ArgumentException>(() => CoreBroker.SharedSubscriptionQueueName("", "a"));
        Assert.Throws<ArgumentException>(() => CoreBroker.SharedSubscriptionQueueName("g", "a/#/b"));
    }

    [Fact]
    public async Task ASharedGroupWorksAsAQueueBoundToTheFilter()
    {
        var queue = CoreBroker.SharedSubscriptionQueueName("workers", "jobs/#");
        _f.Broker.Topology.Bind(new BindingSpec(IBroker.DefaultExchange, "jobs/#", BindingTargetKind.Queue, queue));

        var result = await _f.Broker.PublishAsync(_f.Message("jobs/1"), null);

        Assert.Equal(1, result.DurableTargets);
        Assert.Single(_f.Queues.Queue(queue).Accepted);
    }
}

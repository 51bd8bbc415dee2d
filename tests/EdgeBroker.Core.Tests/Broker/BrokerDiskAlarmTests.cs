namespace EdgeBroker.Core.Tests.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Tests.Broker.Fakes;

[Trait("Category", "Unit")]
public sealed class BrokerDiskAlarmTests
{
    private static readonly ClientIdentity Device = new(ProtocolKind.Mqtt, "device-1", "dev", null);

    private readonly BrokerFixture _f = new();

    private FakeDurableQueue BindQueue(string queue, string pattern)
    {
        _f.Broker.Topology.DeclareQueue(queue, new QueueOptions());
        _f.Broker.Topology.Bind(new BindingSpec(IBroker.DefaultExchange, pattern, BindingTargetKind.Queue, queue));
        return _f.Queues.Queue(queue);
    }

    [Fact]
    public async Task RefusesPublishesBoundForDurableTargetsWithoutDeliveringThemLive()
    {
        var queue = BindQueue("orders", "shop/#");
        var watcher = new RecordingSubscriber("dashboard");
        _f.Broker.Subscribe(watcher, "shop/#", new SubscriptionOptions());
        _f.Broker.Alarms.RaiseDiskAlarm("free disk space 10 MB is below the 50 MB limit");

        var result = await _f.Broker.PublishAsync(_f.Message("shop/1/order"), Device);

        Assert.Equal(PublishOutcome.Failed, result.Outcome);
        Assert.False(result.IsAcknowledged);
        Assert.Contains("below the 50 MB limit", result.Reason, StringComparison.Ordinal);
        Assert.Empty(queue.Accepted);
        Assert.Empty(watcher.Deliveries);
    }

    [Fact]
    public async Task RefusesRetainedAndDirectQueuePublishesToo()
    {
        _f.Broker.Alarms.RaiseDiskAlarm("disk alarm");

        Assert.Equal(PublishOutcome.Failed, (await _f.Broker.PublishAsync(_f.Message("status/door", retain: true), Device)).Outcome);
        Assert.Equal(PublishOutcome.Failed, (await _f.Broker.PublishToQueueAsync("jobs", _f.Message("jobs"), Device)).Outcome);
        Assert.Null(_f.Retained.Get("status/door"));
    }

    [Fact]
    public async Task LiveOnlyTrafficKeepsFlowingDuringTheAlarm()
    {
        var watcher = new RecordingSubscriber("dashboard");
        _f.Broker.Subscribe(watcher, "telemetry/#", new SubscriptionOptions());
        _f.Broker.Alarms.RaiseDiskAlarm("disk alarm");

        var result = await _f.Broker.PublishAsync(_f.Message("telemetry/t1"), Device);

        Assert.Equal(PublishOutcome.Accepted, result.Outcome);
        Assert.Single(watcher.Deliveries);
    }

    [Fact]
    public async Task PublishesAreStoredAgainOnceTheAlarmClears()
    {
        var queue = BindQueue("orders", "shop/#");
        _f.Broker.Alarms.RaiseDiskAlarm("disk alarm");
        await _f.Broker.PublishAsync(_f.Message("shop/1/order"), Device);

        _f.Broker.Alarms.ClearDiskAlarm();
        var result = await _f.Broker.PublishAsync(_f.Message("shop/2/order"), Device);

        Assert.True(result.IsAcknowledged);
        Assert.Equal("shop/2/order", Assert.Single(queue.Accepted).Topic);
    }
}

namespace EdgeBroker.Core.Tests.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Tests.Broker.Fakes;

[Trait("Category", "Unit")]
public sealed class BrokerQueueTests
{
    private static readonly ClientIdentity Service = new(ProtocolKind.Stomp, "svc", "svc", null);

    private readonly BrokerFixture _f = new();

    [Fact]
    public async Task PublishToQueueDeclaresItAndWaitsForIt()
    {
        var result = await _f.Broker.PublishToQueueAsync("jobs", _f.Message("ignored/topic"), Service);

        Assert.Equal(new PublishResult(PublishOutcome.Accepted, 1, 0), result);
        Assert.Single(_f.Queues.Queue("jobs").Accepted);
        Assert.Contains(new QueueDeclaration("jobs", new QueueOptions()), _f.TopologyStore.Load().Queues);
    }

    [Fact]
    public async Task PublishToQueueIsAuthorizedAgainstTheQueueName()
    {
        _f.Authorizer.Publish = (_, name) => name != "payroll";
        var result = await _f.Broker.PublishToQueueAsync("payroll", _f.Message("x"), Service);
        Assert.Equal(PublishOutcome.NotAuthorized, result.Outcome);
        Assert.Null(_f.Queues.Get("payroll"));
    }

    [Fact]
    public async Task AnInvalidQueueNameIsAnInvalidTopic()
    {
        var result = await _f.Broker.PublishToQueueAsync("a/b", _f.Message("x"), Service);
        Assert.Equal(PublishOutcome.InvalidTopic, result.Outcome);
        Assert.Equal(PublishOutcome.InvalidTopic, (await _f.Broker.PublishToQueueAsync("", _f.Message("x"), Service)).Outcome);
    }

    [Fact]
    public void ConsumeDeclaresTheQueueAndChecksTheHook()
    {
        var consumer = _f.Broker.Consume("jobs", new NullDeliveryTarget(), new ConsumerOptions(), Service);
        Assert.Equal("jobs", consumer.Queue);
        Assert.Single(_f.Queues.Queue("jobs").Consumers);

        _f.Authorizer.Consume = (_, _) => false;
        Assert.Throws<UnauthorizedAccessException>(() => _f.Broker.Consume("jobs", new NullDeliveryTarget(), new ConsumerOptions(), Service));
        Assert.Single(_f.Queues.Queue("jobs").Consumers);
    }

    [Fact]
    public async Task FetchReturnsReadyMessagesAndDoesNotCreateQueues()
    {
        Assert.Empty(await _f.Broker.FetchAsync("missing", 10, Service));
        Assert.Null(_f.Queues.Get("missing"));

        await _f.Broker.PublishToQueueAsync("jobs", _f.Message("a"), Service);
        await _f.Broker.PublishToQueueAsync("jobs", _f.Message("b"), Service);
        var fetched = await _f.Broker.FetchAsync("jobs", 1, Service);

        Assert.Equal("a", Assert.Single(fetched).Message.Topic);
    }

    [Fact]
    public async Task FetchChecksTheHook()
    {
        _f.Authorizer.Consume = (_, _) => false;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await _f.Broker.FetchAsync("jobs", 1, Service));
    }

    private sealed class NullDeliveryTarget : IQueueDeliveryTarget
    {
        public bool TryDeliver(QueueDelivery delivery) => true;
    }
}

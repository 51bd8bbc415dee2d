namespace EdgeBroker.Core.Tests.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Tests.Broker.Fakes;

/// <summary>The publish path's allocation budget and its behaviour under concurrent subscribe/unsubscribe.</summary>
[Trait("Category", "Unit")]
public sealed class BrokerHotPathTests
{
    private readonly BrokerFixture _f = new();

    [Fact]
    public void PublishingToLiveSubscribersOfAHotTopicAllocatesNothing()
    {
        var counting = new CountingSubscriber("a");
        _f.Broker.Subscribe(counting, "sensors/+/temp", new SubscriptionOptions());
        _f.Broker.Subscribe(counting, "sensors/#", new SubscriptionOptions());
        _f.Broker.Subscribe(new CountingSubscriber("b"), "sensors/room1/temp", new SubscriptionOptions());
        var message = _f.Message("sensors/room1/temp");
        var warmUp = _f.Broker.PublishAsync(message, null);
        Assert.True(warmUp.IsCompletedSuccessfully);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            var publish = _f.Broker.PublishAsync(message, null);
            Assert.True(publish.IsCompletedSuccessfully);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(101, counting.Calls);
        Assert.Equal(2, counting.LastMatched);
    }

    [Fact]
    public async Task PublishesStayCorrectWhileOthersSubscribeAndUnsubscribe()
    {
        var steady = new CountingSubscriber("steady");
        _f.Broker.Subscribe(steady, "load/#", new SubscriptionOptions());
        const int Publishes = 2000;

        var churn = Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                using var s = _f.Broker.Subscribe(new CountingSubscriber($"c{i}"), $"load/{i % 7}", new SubscriptionOptions());
            }
        });
        var publisher = Task.Run(async () =>
        {
            for (var i = 0; i < Publishes; i++)
            {
                var result = await _f.Broker.PublishAsync(_f.Message($"load/{i % 7}"), new ClientIdentity(ProtocolKind.Mqtt, "p", null, null));
                Assert.True(result.IsAcknowledged);
            }
        });

        await Task.WhenAll(churn, publisher);

        Assert.Equal(Publishes, steady.Calls);
        Assert.Equal(1, _f.Broker.SubscriptionCount);
    }

    /// <summary>Counts calls without allocating.</summary>
    private sealed class CountingSubscriber(string clientId) : ISubscriber
    {
        private int _calls;

        public ClientIdentity Client { get; } = new(ProtocolKind.Mqtt, clientId, null, null);

        public int Calls => Volatile.Read(ref _calls);

        public int LastMatched { get; private set; }

        public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
        {
            Interlocked.Increment(ref _calls);
            LastMatched = matched.Length;
            return true;
        }
    }
}

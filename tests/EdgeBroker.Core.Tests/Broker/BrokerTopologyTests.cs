namespace EdgeBroker.Core.Tests.Broker;

using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Tests.Broker.Fakes;

[Trait("Category", "Unit")]
public sealed class BrokerTopologyTests
{
    private readonly BrokerFixture _f = new();

    private IBrokerTopology Topology => _f.Broker.Topology;

    [Fact]
    public void BindingToAQueueByNameDeclaresItWithDefaultsAndRecordsIt()
    {
        Topology.Bind(new BindingSpec(IBroker.DefaultExchange, "orders/#", BindingTargetKind.Queue, "orders"));

        Assert.NotNull(_f.Queues.Get("orders"));
        var stored = _f.TopologyStore.Load();
        Assert.Equal([new QueueDeclaration("orders", new QueueOptions())], stored.Queues);
        Assert.Single(stored.Bindings);
    }

    [Fact]
    public void BindingToAnUnknownStreamFails()
    {
        Assert.Throws<InvalidOperationException>(() =>
            Topology.Bind(new BindingSpec(IBroker.DefaultExchange, "sensors/#", BindingTargetKind.Stream, "telemetry")));
        Assert.Empty(Topology.Bindings);
    }

    [Fact]
    public async Task TheTopologySurvivesARestart()
    {
        Topology.DeclareExchange("audit", ExchangeType.Fanout);
        Topology.DeclareQueue("audit-log", new QueueOptions { MaxLength = 10 });
        Topology.Bind(new BindingSpec("audit", "", BindingTargetKind.Queue, "audit-log"));
        Topology.Bind(new BindingSpec(IBroker.DefaultExchange, "orders/#", BindingTargetKind.Queue, "orders"));

        // A new broker over a fresh queue store and the same topology store: declarations come back.
        var restarted = new BrokerFixture(topologyStore: _f.TopologyStore);
        Assert.Equal(10, restarted.Queues.Get("audit-log")!.Options.MaxLength);
        Assert.Contains(restarted.Broker.Topology.Exchanges, e => e.Name == "audit" && e.Type == ExchangeType.Fanout && e.Bindings == 1);

        var result = await restarted.Broker.PublishAsync(restarted.Message("orders/1"), null);
        Assert.Equal(1, result.DurableTargets);
        Assert.Single(restarted.Queues.Queue("orders").Accepted);
    }

    [Fact]
    public void KeepsAStoredStreamBindingThatCannotBeResolvedYet()
    {
        var store = new InMemoryTopologyStore();
        var spec = new BindingSpec(IBroker.DefaultExchange, "sensors/#", BindingTargetKind.Stream, "telemetry");
        store.SaveBinding(spec);

        var broker = new BrokerFixture(topologyStore: store);

        Assert.Equal([spec], broker.Broker.Topology.Bindings);
    }

    [Fact]
    public void DeclaringAQueueIsIdempotentOnlyWithTheSameOptions()
    {
        Topology.DeclareQueue("q", new QueueOptions { MaxLength = 5 });
        Topology.DeclareQueue("q", new QueueOptions { MaxLength = 5 });
        Assert.Throws<InvalidOperationException>(() => Topology.DeclareQueue("q", new QueueOptions { MaxLength = 6 }));
        Assert.Single(Topology.Queues);
    }

    [Fact]
    public void DeletingAQueueRemovesItsBindingsDurably()
    {
        Topology.Bind(new BindingSpec(IBroker.DefaultExchange, "a", BindingTargetKind.Queue, "q"));

        Assert.True(Topology.DeleteQueue("q"));
        Assert.False(Topology.DeleteQueue("q"));

        Assert.Empty(Topology.Bindings);
        Assert.Null(Topology.GetQueue("q"));
        var stored = _f.TopologyStore.Load();
        Assert.Empty(stored.Bindings);
        Assert.Empty(stored.Queues);
    }

    [Fact]
    public void DeletingAnExchangeForgetsItAndItsBindings()
    {
        Topology.DeclareExchange("fan", ExchangeType.Fanout);
        Topology.Bind(new BindingSpec("fan", "", BindingTargetKind.Queue, "q"));

        Assert.True(Topology.DeleteExchange("fan"));
        Assert.False(Topology.DeleteExchange("fan"));
        Assert.Throws<InvalidOperationException>(() => Topology.DeleteExchange(IBroker.DefaultExchange));

        var stored = _f.TopologyStore.Load();
        Assert.Empty(stored.Exchanges);
        Assert.Empty(stored.Bindings);
    }

    [Fact]
    public void UnbindReportsWhetherItRemoved()
    {
        var spec = new BindingSpec(IBroker.DefaultExchange, "a", BindingTargetKind.Queue, "q");
        Topology.Bind(spec);
        Assert.True(Topology.Unbind(spec));
        Assert.False(Topology.Unbind(spec));
        Assert.Empty(_f.TopologyStore.Load().Bindings);
    }

    [Fact]
    public async Task PeeksAndPurgesQueues()
    {
        await _f.Broker.PublishToQueueAsync("q", _f.Message("x"), null);
        await _f.Broker.PublishToQueueAsync("q", _f.Message("y"), null);

        Assert.Equal(2, Topology.PeekQueue("q", 10).Count);
        Assert.Equal(2, Topology.GetQueue("q")!.Ready);
        Assert.Equal(2, await Topology.PurgeQueueAsync("q"));
        Assert.Equal(0, await Topology.PurgeQueueAsync("missing"));
        Assert.Empty(Topology.PeekQueue("missing", 10));
    }
}

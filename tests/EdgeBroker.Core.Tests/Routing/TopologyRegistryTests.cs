namespace EdgeBroker.Core.Tests.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

[Trait("Category", "Unit")]
public sealed class TopologyRegistryTests
{
    private readonly Dictionary<string, RecordingTarget> _queues = new(StringComparer.Ordinal);

    private TopologyRegistry NewRegistry() => new((kind, name) =>
        kind == BindingTargetKind.Queue ? (_queues.TryGetValue(name, out var q) ? q : null) : NullStreamTargetResolver.Instance.Resolve(name));

    [Fact]
    public void HasTheDefaultTopicExchangeWhichCannotBeDeleted()
    {
        var registry = NewRegistry();
        var info = Assert.Single(registry.Exchanges);
        Assert.Equal(new ExchangeInfo(IBroker.DefaultExchange, ExchangeType.Topic, 0, IsDefault: true), info);
        Assert.Throws<InvalidOperationException>(() => registry.DeleteExchange(IBroker.DefaultExchange));
    }

    [Fact]
    public void DeclaringIsIdempotentForTheSameTypeOnly()
    {
        var registry = NewRegistry();
        Assert.True(registry.DeclareExchange("orders", ExchangeType.Direct));
        Assert.False(registry.DeclareExchange("orders", ExchangeType.Direct));
        Assert.Throws<InvalidOperationException>(() => registry.DeclareExchange("orders", ExchangeType.Fanout));
        Assert.Throws<ArgumentException>(() => registry.DeclareExchange("a/b", ExchangeType.Fanout));
    }

    [Fact]
    public void BindResolvesTargetsByNameAndRefusesUnknownOnes()
    {
        _queues["q1"] = new RecordingTarget("queue:q1");
        var registry = NewRegistry();
        Assert.True(registry.Bind(new BindingSpec(IBroker.DefaultExchange, "a/#", BindingTargetKind.Queue, "q1")));
        Assert.Throws<InvalidOperationException>(() => registry.Bind(new BindingSpec(IBroker.DefaultExchange, "a/#", BindingTargetKind.Queue, "missing")));
        Assert.Throws<InvalidOperationException>(() => registry.Bind(new BindingSpec(IBroker.DefaultExchange, "a/#", BindingTargetKind.Stream, "telemetry")));
        Assert.Throws<InvalidOperationException>(() => registry.Bind(new BindingSpec("nope", "a/#", BindingTargetKind.Queue, "q1")));

        var targets = new RouteTargets();
        registry.Default.Route(new Message { Topic = "a/b" }, targets);
        Assert.Same(_queues["q1"], targets[0]);
    }

    [Fact]
    public void KeepsUnresolvableBindingsWhenLoading()
    {
        var registry = NewRegistry();
        var spec = new BindingSpec(IBroker.DefaultExchange, "sensors/#", BindingTargetKind.Stream, "telemetry");
        Assert.True(registry.Bind(spec, requireTarget: false));
        Assert.Equal([spec], registry.Bindings);
    }

    [Fact]
    public void DeletingAnExchangeReturnsItsBindings()
    {
        _queues["q1"] = new RecordingTarget("queue:q1");
        var registry = NewRegistry();
        registry.DeclareExchange("fan", ExchangeType.Fanout);
        var spec = new BindingSpec("fan", "", BindingTargetKind.Queue, "q1");
        registry.Bind(spec);

        Assert.Equal([spec], registry.DeleteExchange("fan"));
        Assert.Null(registry.DeleteExchange("fan"));
        Assert.Empty(registry.Bindings);
    }

    [Fact]
    public void UnbindTargetRemovesEveryBindingToIt()
    {
        _queues["q1"] = new RecordingTarget("queue:q1");
        _queues["q2"] = new RecordingTarget("queue:q2");
        var registry = NewRegistry();
        registry.DeclareExchange("fan", ExchangeType.Fanout);
        registry.Bind(new BindingSpec("fan", "", BindingTargetKind.Queue, "q1"));
        registry.Bind(new BindingSpec(IBroker.DefaultExchange, "a", BindingTargetKind.Queue, "q1"));
        registry.Bind(new BindingSpec(IBroker.DefaultExchange, "a", BindingTargetKind.Queue, "q2"));

        Assert.Equal(2, registry.UnbindTarget(BindingTargetKind.Queue, "q1").Count);
        Assert.Equal(["q2"], registry.Bindings.Select(b => b.Target));
    }
}

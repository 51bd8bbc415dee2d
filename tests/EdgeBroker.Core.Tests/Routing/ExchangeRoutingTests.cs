namespace EdgeBroker.Core.Tests.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;

[Trait("Category", "Unit")]
public sealed class ExchangeRoutingTests
{
    private readonly RecordingTarget _q1 = new("queue:q1");
    private readonly RecordingTarget _q2 = new("queue:q2");

    private static Message Msg(string topic, params (string Name, string Value)[] headers) => new()
    {
        Topic = topic,
        Headers = [.. headers.Select(h => new MessageHeader(h.Name, h.Value))],
    };

    private static string[] Route(Exchange exchange, Message message)
    {
        var targets = new RouteTargets();
        exchange.Route(message, targets);
        return [.. targets.AsSpan().ToArray().Select(t => t.Name).Order(StringComparer.Ordinal)];
    }

    private Binding Bind(Exchange exchange, string pattern, RecordingTarget target, IReadOnlyDictionary<string, string>? args = null)
    {
        var binding = new Binding(new BindingSpec(exchange.Name, pattern, BindingTargetKind.Queue, target.Name, args), target);
        exchange.AddBinding(binding);
        return binding;
    }

    [Fact]
    public void TopicExchangeRoutesByMqttFilters()
    {
        var exchange = new TopicExchange("t");
        Bind(exchange, "sensors/+/temp", _q1);
        Bind(exchange, "sensors/#", _q2);

        Assert.Equal(["queue:q1", "queue:q2"], Route(exchange, Msg("sensors/room1/temp")));
        Assert.Equal(["queue:q2"], Route(exchange, Msg("sensors/room1/humidity")));
        Assert.Empty(Route(exchange, Msg("other")));
    }

    [Fact]
    public void DeliversOnceToATargetMatchedByTwoBindings()
    {
        var exchange = new TopicExchange("t");
        Bind(exchange, "a/+", _q1);
        Bind(exchange, "a/#", _q1);
        Bind(exchange, "#", _q1);

        Assert.Equal(["queue:q1"], Route(exchange, Msg("a/b")));
    }

    [Fact]
    public void RejectsInvalidOrSharedTopicPatterns()
    {
        var exchange = new TopicExchange("t");
        Assert.Throws<ArgumentException>(() => Bind(exchange, "a/#/b", _q1));
        Assert.Throws<ArgumentException>(() => Bind(exchange, "$share/g/a", _q1));
    }

    [Fact]
    public void DirectExchangeRoutesExactTopicsOnly()
    {
        var exchange = new DirectExchange("d");
        Bind(exchange, "orders/new", _q1);
        Bind(exchange, "orders/new", _q2);

        Assert.Equal(["queue:q1", "queue:q2"], Route(exchange, Msg("orders/new")));
        Assert.Empty(Route(exchange, Msg("orders/old")));
        Assert.Throws<ArgumentException>(() => Bind(exchange, "orders/+", _q1));

        exchange.RemoveBinding(new BindingSpec("d", "orders/new", BindingTargetKind.Queue, "queue:q1"));
        Assert.Equal(["queue:q2"], Route(exchange, Msg("orders/new")));
    }

    [Fact]
    public void FanoutExchangeRoutesEverythingToEveryBinding()
    {
        var exchange = new FanoutExchange("f");
        Bind(exchange, "ignored", _q1);
        Bind(exchange, "", _q2);

        Assert.Equal(["queue:q1", "queue:q2"], Route(exchange, Msg("anything/at/all")));
    }

    [Fact]
    public void BindingTwiceIsIdempotentAndUnbindRemoves()
    {
        var exchange = new TopicExchange("t");
        var spec = new BindingSpec("t", "a/#", BindingTargetKind.Queue, "queue:q1");
        Assert.True(exchange.AddBinding(new Binding(spec, _q1)));
        Assert.False(exchange.AddBinding(new Binding(spec with { }, _q1)));
        Assert.Single(exchange.Bindings);

        Assert.True(exchange.RemoveBinding(spec));
        Assert.False(exchange.RemoveBinding(spec));
        Assert.Empty(Route(exchange, Msg("a/b")));
    }

    [Fact]
    public void UnresolvedBindingsAreListedButRouteNowhere()
    {
        var exchange = new FanoutExchange("f");
        exchange.AddBinding(new Binding(new BindingSpec("f", "", BindingTargetKind.Stream, "telemetry"), null));
        Assert.Single(exchange.Bindings);
        Assert.Empty(Route(exchange, Msg("x")));
    }

    [Fact]
    public void CreatesTheExchangeClassForEachType()
    {
        Assert.IsType<TopicExchange>(Exchange.Create("a", ExchangeType.Topic));
        Assert.IsType<DirectExchange>(Exchange.Create("b", ExchangeType.Direct));
        Assert.IsType<FanoutExchange>(Exchange.Create("c", ExchangeType.Fanout));
        Assert.IsType<HeadersExchange>(Exchange.Create("d", ExchangeType.Headers));
    }

    [Fact]
    public void RouteTargetsDedupesPastTheLinearScanLimit()
    {
        var targets = new RouteTargets();
        var many = Enumerable.Range(0, 20).Select(i => new RecordingTarget($"q{i}")).ToArray();
        foreach (var target in many.Concat(many))
        {
            targets.Add(target);
        }

        Assert.Equal(20, targets.Count);
        targets.Clear();
        Assert.True(targets.Add(many[0]));
        Assert.False(targets.Add(many[0]));
    }
}

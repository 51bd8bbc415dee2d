namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Messages;

/// <summary>Every binding gets every message; the pattern is ignored. Thread-safe (copy-on-write binding list).</summary>
public sealed class FanoutExchange : Exchange
{
    public FanoutExchange(string name)
        : base(name)
    {
    }

    public override ExchangeType Type => ExchangeType.Fanout;

    public override void ValidateBinding(BindingSpec spec) => ArgumentNullException.ThrowIfNull(spec);

    public override void Route(Message message, RouteTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var bindings = Bindings;
        for (var i = 0; i < bindings.Count; i++)
        {
            AddTarget(bindings[i], targets);
        }
    }

    protected override void OnAdd(Binding binding)
    {
    }

    protected override void OnRemove(Binding binding)
    {
    }
}

namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Topics;

/// <summary>Patterns are MQTT topic filters, matched through a <see cref="TopicTree{T}"/>. Thread-safe.</summary>
public sealed class TopicExchange : Exchange
{
    private readonly TopicTree<Binding> _tree;
    private readonly TopicLimits _limits;

    public TopicExchange(string name, TopicLimits? limits = null, int cacheCapacity = TopicTree<Binding>.DefaultCacheCapacity)
        : base(name)
    {
        _limits = limits ?? TopicLimits.Default;
        _tree = new TopicTree<Binding>(cacheCapacity, limits: _limits);
    }

    public override ExchangeType Type => ExchangeType.Topic;

    public override void ValidateBinding(BindingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);

        // A $share/ filter is a subscription form, not a binding pattern: bind the queue to the inner filter.
        var error = TopicFilter.Validate(spec.Pattern, _limits, allowShared: false);
        if (error != TopicError.None)
        {
            throw new ArgumentException($"invalid topic filter '{spec.Pattern}': {Topic.Describe(error, _limits)}", nameof(spec));
        }
    }

    public override void Route(Message message, RouteTargets targets)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var binding in _tree.Match(message.Topic))
        {
            AddTarget(binding, targets);
        }
    }

    protected override void OnAdd(Binding binding) => _tree.Add(binding.Spec.Pattern, binding);

    protected override void OnRemove(Binding binding) => _tree.Remove(binding.Spec.Pattern, binding);
}

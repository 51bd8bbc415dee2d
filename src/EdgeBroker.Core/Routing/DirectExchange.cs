namespace EdgeBroker.Core.Routing;

using System.Collections.Concurrent;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Topics;

/// <summary>
/// Patterns are exact topics: one dictionary lookup per publish. Thread-safe: per-topic binding arrays are
/// replaced (never mutated) under the exchange's write lock, and the dictionary is read lock-free.
/// </summary>
public sealed class DirectExchange : Exchange
{
    private readonly ConcurrentDictionary<string, Binding[]> _byTopic = new(StringComparer.Ordinal);
    private readonly TopicLimits _limits;

    public DirectExchange(string name, TopicLimits? limits = null)
        : base(name)
    {
        _limits = limits ?? TopicLimits.Default;
    }

    public override ExchangeType Type => ExchangeType.Direct;

    public override void ValidateBinding(BindingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var error = Topic.Validate(spec.Pattern, _limits);
        if (error != TopicError.None)
        {
            throw new ArgumentException($"invalid routing key '{spec.Pattern}': {Topic.Describe(error, _limits)}", nameof(spec));
        }
    }

    public override void Route(Message message, RouteTargets targets)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(targets);
        if (_byTopic.TryGetValue(message.Topic, out var bindings))
        {
            foreach (var binding in bindings)
            {
                AddTarget(binding, targets);
            }
        }
    }

    protected override void OnAdd(Binding binding)
    {
        var key = binding.Spec.Pattern;
        _byTopic[key] = _byTopic.TryGetValue(key, out var existing) ? [.. existing, binding] : [binding];
    }

    protected override void OnRemove(Binding binding)
    {
        var key = binding.Spec.Pattern;
        if (!_byTopic.TryGetValue(key, out var existing))
        {
            return;
        }

        var rest = Array.FindAll(existing, b => !b.Equals(binding));
        if (rest.Length == 0)
        {
            _byTopic.TryRemove(key, out _);
        }
        else
        {
            _byTopic[key] = rest;
        }
    }
}

namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Topics;

/// <summary>
/// A named router of one <see cref="ExchangeType"/>: it holds bindings and, for a message, adds the targets of
/// the bindings that match to a <see cref="RouteTargets"/>. Thread-safe: <see cref="Route"/> runs concurrently
/// with binding changes; subclasses keep their routing state in structures readers can use without locks.
/// </summary>
public abstract class Exchange
{
    private readonly Lock _gate = new();
    private Binding[] _bindings = [];

    protected Exchange(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    public string Name { get; }

    public abstract ExchangeType Type { get; }

    /// <summary>A snapshot of the bindings (copy-on-write: bindings change rarely, routing is hot).</summary>
    public IReadOnlyList<Binding> Bindings => Volatile.Read(ref _bindings);

    public static Exchange Create(string name, ExchangeType type, TopicLimits? limits = null, int cacheCapacity = TopicTree<Binding>.DefaultCacheCapacity) => type switch
    {
        ExchangeType.Topic => new TopicExchange(name, limits, cacheCapacity),
        ExchangeType.Direct => new DirectExchange(name, limits),
        ExchangeType.Fanout => new FanoutExchange(name),
        ExchangeType.Headers => new HeadersExchange(name),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown exchange type"),
    };

    /// <summary>Throws <see cref="ArgumentException"/> when the binding's pattern or arguments do not suit this exchange.</summary>
    public abstract void ValidateBinding(BindingSpec spec);

    /// <summary>Adds the binding; false when an equal binding exists (idempotent).</summary>
    public bool AddBinding(Binding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        ValidateBinding(binding.Spec);
        lock (_gate)
        {
            if (Array.IndexOf(_bindings, binding) >= 0)
            {
                return false;
            }

            OnAdd(binding);
            Volatile.Write(ref _bindings, [.. _bindings, binding]);
            return true;
        }
    }

    /// <summary>Removes the binding with this identity; false when absent.</summary>
    public bool RemoveBinding(BindingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            var index = Array.IndexOf(_bindings, new Binding(spec, null));
            if (index < 0)
            {
                return false;
            }

            var existing = _bindings[index];
            OnRemove(existing);
            Volatile.Write(ref _bindings, [.. _bindings.AsSpan(0, index), .. _bindings.AsSpan(index + 1)]);
            return true;
        }
    }

    /// <summary>Adds the target of every binding matching <paramref name="message"/> (unresolved bindings are skipped).</summary>
    public abstract void Route(Message message, RouteTargets targets);

    /// <summary>Called under the exchange's write lock before the binding list is republished.</summary>
    protected abstract void OnAdd(Binding binding);

    /// <summary>Called under the exchange's write lock with the stored binding being removed.</summary>
    protected abstract void OnRemove(Binding binding);

    protected static void AddTarget(Binding binding, RouteTargets targets)
    {
        if (binding.Target is { } target)
        {
            targets.Add(target);
        }
    }
}

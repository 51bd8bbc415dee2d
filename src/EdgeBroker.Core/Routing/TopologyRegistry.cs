namespace EdgeBroker.Core.Routing;

using System.Collections.Concurrent;
using EdgeBroker.Core.Topics;

/// <summary>
/// The in-memory exchanges and bindings (persistence is the caller's concern: see <see cref="ITopologyStore"/>).
/// The default topic exchange always exists and cannot be deleted.
/// Thread-safety: lookups and routing are lock-free (a concurrent dictionary of exchanges, each thread-safe);
/// structural changes (declare, delete, bind, unbind) are serialized by one lock so a binding never lands on
/// an exchange being deleted.
/// </summary>
public sealed class TopologyRegistry
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, Exchange> _exchanges = new(StringComparer.Ordinal);
    private readonly BindingTargetResolver _resolver;
    private readonly TopicLimits _limits;
    private readonly int _cacheCapacity;

    public TopologyRegistry(BindingTargetResolver resolver, TopicLimits? limits = null, int cacheCapacity = TopicTree<Binding>.DefaultCacheCapacity, string defaultExchange = IBroker.DefaultExchange)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        _limits = limits ?? TopicLimits.Default;
        _cacheCapacity = cacheCapacity;
        Default = new TopicExchange(defaultExchange, _limits, cacheCapacity);
        _exchanges[defaultExchange] = Default;
    }

    /// <summary>The default topic exchange every MQTT, STOMP /topic/ and SignalR publish enters.</summary>
    public Exchange Default { get; }

    public IReadOnlyList<ExchangeInfo> Exchanges =>
        [.. _exchanges.Values.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => new ExchangeInfo(e.Name, e.Type, e.Bindings.Count, ReferenceEquals(e, Default)))];

    public IReadOnlyList<BindingSpec> Bindings =>
        [.. _exchanges.Values.OrderBy(e => e.Name, StringComparer.Ordinal).SelectMany(e => e.Bindings).Select(b => b.Spec)];

    public bool TryGetExchange(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Exchange exchange) =>
        _exchanges.TryGetValue(name, out exchange);

    /// <summary>True when created; false when it exists with this type. Throws <see cref="InvalidOperationException"/> for another type.</summary>
    public bool DeclareExchange(string name, ExchangeType type)
    {
        ValidateExchangeName(name);
        lock (_gate)
        {
            if (_exchanges.TryGetValue(name, out var existing))
            {
                return existing.Type == type
                    ? false
                    : throw new InvalidOperationException($"exchange '{name}' exists with type {existing.Type}, not {type}");
            }

            _exchanges[name] = Exchange.Create(name, type, _limits, _cacheCapacity);
            return true;
        }
    }

    /// <summary>Deletes the exchange and its bindings (returned so the caller can forget them durably).</summary>
    public IReadOnlyList<BindingSpec>? DeleteExchange(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.Equals(name, Default.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the default exchange cannot be deleted");
        }

        lock (_gate)
        {
            return _exchanges.TryRemove(name, out var removed) ? [.. removed.Bindings.Select(b => b.Spec)] : null;
        }
    }

    /// <summary>
    /// Adds a binding, resolving its target now. Throws <see cref="InvalidOperationException"/> for an unknown exchange
    /// or (when <paramref name="requireTarget"/>) an unresolvable target, <see cref="ArgumentException"/> for a bad pattern.
    /// With <paramref name="requireTarget"/> false (loading at start) an unresolvable binding is kept but routes nowhere.
    /// </summary>
    public bool Bind(BindingSpec spec, bool requireTarget = true)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(spec.Target, nameof(spec));
        lock (_gate)
        {
            if (!_exchanges.TryGetValue(spec.Exchange, out var exchange))
            {
                throw new InvalidOperationException($"exchange '{spec.Exchange}' does not exist");
            }

            exchange.ValidateBinding(spec);
            var target = _resolver(spec.TargetKind, spec.Target);
            if (target is null && requireTarget)
            {
                throw new InvalidOperationException($"{spec.TargetKind.ToString().ToLowerInvariant()} '{spec.Target}' does not exist");
            }

            return exchange.AddBinding(new Binding(spec, target));
        }
    }

    public bool Unbind(BindingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        lock (_gate)
        {
            return _exchanges.TryGetValue(spec.Exchange, out var exchange) && exchange.RemoveBinding(spec);
        }
    }

    /// <summary>Removes every binding to one target (its queue was deleted); returns them.</summary>
    public IReadOnlyList<BindingSpec> UnbindTarget(BindingTargetKind kind, string name)
    {
        var removed = new List<BindingSpec>();
        lock (_gate)
        {
            foreach (var exchange in _exchanges.Values)
            {
                foreach (var binding in exchange.Bindings)
                {
                    if (binding.Spec.TargetKind == kind && string.Equals(binding.Spec.Target, name, StringComparison.Ordinal) && exchange.RemoveBinding(binding.Spec))
                    {
                        removed.Add(binding.Spec);
                    }
                }
            }
        }

        return removed;
    }

    private static void ValidateExchangeName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > 255 || name.AsSpan().ContainsAny('\0', '/'))
        {
            throw new ArgumentException("an exchange name is 1–255 characters without '/' or U+0000", nameof(name));
        }
    }
}

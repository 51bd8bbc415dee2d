namespace EdgeBroker.Core.Broker;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;

/// <summary>
/// <see cref="IBrokerTopology"/> over the registry, the queue store and the topology store: every change is
/// applied in memory and written through to <see cref="ITopologyStore"/>. Thread-safe; structural changes are
/// serialized by one lock so the store sees them in the order they were applied.
/// </summary>
internal sealed class BrokerTopology : IBrokerTopology
{
    private readonly Lock _gate = new();
    private readonly TopologyRegistry _registry;
    private readonly IQueueStore _queues;
    private readonly ITopologyStore _store;

    public BrokerTopology(TopologyRegistry registry, IQueueStore queues, ITopologyStore store)
    {
        _registry = registry;
        _queues = queues;
        _store = store;
    }

    public IReadOnlyList<ExchangeInfo> Exchanges => _registry.Exchanges;

    public IReadOnlyList<BindingSpec> Bindings => _registry.Bindings;

    public IReadOnlyList<QueueStats> Queues => [.. _queues.All.Select(q => q.Stats).OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>Replays stored declarations at start: queues, then exchanges, then bindings (kept even when a stream is missing).</summary>
    public void Load(TopologySnapshot snapshot)
    {
        lock (_gate)
        {
            foreach (var queue in snapshot.Queues)
            {
                _queues.Declare(queue.Name, queue.Options);
            }

            foreach (var exchange in snapshot.Exchanges)
            {
                _registry.DeclareExchange(exchange.Name, exchange.Type);
            }

            foreach (var binding in snapshot.Bindings)
            {
                _registry.Bind(binding, requireTarget: false);
            }
        }
    }

    public void DeclareExchange(string name, ExchangeType type)
    {
        lock (_gate)
        {
            if (_registry.DeclareExchange(name, type))
            {
                _store.SaveExchange(new ExchangeDeclaration(name, type));
            }
        }
    }

    public bool DeleteExchange(string name)
    {
        lock (_gate)
        {
            if (_registry.DeleteExchange(name) is not { } removed)
            {
                return false;
            }

            foreach (var binding in removed)
            {
                _store.DeleteBinding(binding);
            }

            _store.DeleteExchange(name);
            return true;
        }
    }

    public void Bind(BindingSpec binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        lock (_gate)
        {
            if (_registry.Bind(binding))
            {
                _store.SaveBinding(binding);
            }
        }
    }

    public bool Unbind(BindingSpec binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        lock (_gate)
        {
            if (!_registry.Unbind(binding))
            {
                return false;
            }

            _store.DeleteBinding(binding);
            return true;
        }
    }

    public void DeclareQueue(string name, QueueOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        lock (_gate)
        {
            if (_queues.Get(name) is { } existing)
            {
                if (existing.Options != options)
                {
                    throw new InvalidOperationException($"queue '{name}' exists with different options");
                }

                return;
            }

            var declared = _queues.Declare(name, options);
            _store.SaveQueue(new QueueDeclaration(name, declared.Options));
        }
    }

    public bool DeleteQueue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            foreach (var binding in _registry.UnbindTarget(BindingTargetKind.Queue, name))
            {
                _store.DeleteBinding(binding);
            }

            // The contract is synchronous; deleting a queue is an administrative, rare operation.
            var deleted = _queues.DeleteAsync(name).AsTask().GetAwaiter().GetResult();
            _store.DeleteQueue(name);
            return deleted;
        }
    }

    public ValueTask<long> PurgeQueueAsync(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _queues.Get(name) is { } queue ? queue.PurgeAsync() : new(0L);
    }

    public QueueStats? GetQueue(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _queues.Get(name)?.Stats;
    }

    public IReadOnlyList<Message> PeekQueue(string name, int max)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return _queues.Get(name)?.Peek(max) ?? [];
    }

    /// <summary>The queue, declared with default options and recorded in the store when it does not exist yet.</summary>
    public IDurableQueue EnsureQueue(string name)
    {
        if (_queues.Get(name) is { } existing)
        {
            return existing;
        }

        lock (_gate)
        {
            if (_queues.Get(name) is { } raced)
            {
                return raced;
            }

            var declared = _queues.Declare(name, new QueueOptions());
            _store.SaveQueue(new QueueDeclaration(name, declared.Options));
            return declared;
        }
    }
}

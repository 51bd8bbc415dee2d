namespace EdgeBroker.Core.Routing;

/// <summary>A non-durable <see cref="ITopologyStore"/> (tests, and brokers without a data directory). Thread-safe (one lock).</summary>
public sealed class InMemoryTopologyStore : ITopologyStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ExchangeDeclaration> _exchanges = new(StringComparer.Ordinal);
    private readonly HashSet<BindingSpec> _bindings = new(BindingSpecComparer.Instance);
    private readonly Dictionary<string, QueueDeclaration> _queues = new(StringComparer.Ordinal);

    public TopologySnapshot Load()
    {
        lock (_gate)
        {
            return new TopologySnapshot([.. _exchanges.Values], [.. _bindings], [.. _queues.Values]);
        }
    }

    public void SaveExchange(ExchangeDeclaration exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        lock (_gate)
        {
            _exchanges[exchange.Name] = exchange;
        }
    }

    public void DeleteExchange(string name)
    {
        lock (_gate)
        {
            _exchanges.Remove(name);
        }
    }

    public void SaveBinding(BindingSpec binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        lock (_gate)
        {
            _bindings.Remove(binding);
            _bindings.Add(binding);
        }
    }

    public void DeleteBinding(BindingSpec binding)
    {
        lock (_gate)
        {
            _bindings.Remove(binding);
        }
    }

    public void SaveQueue(QueueDeclaration queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            _queues[queue.Name] = queue;
        }
    }

    public void DeleteQueue(string name)
    {
        lock (_gate)
        {
            _queues.Remove(name);
        }
    }
}

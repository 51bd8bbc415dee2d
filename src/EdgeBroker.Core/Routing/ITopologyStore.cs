namespace EdgeBroker.Core.Routing;

/// <summary>
/// Durable declarations: exchanges, bindings and queue declarations (the queue's messages live in the queue
/// store). The broker loads it once at start and writes through on every change; each write is durable when
/// the call returns (keyed upserts and deletes, so a compacted log backs it naturally: key = kind + identity).
/// The default exchange is never stored. Implementations must be thread-safe.
/// </summary>
public interface ITopologyStore
{
    TopologySnapshot Load();

    void SaveExchange(ExchangeDeclaration exchange);

    void DeleteExchange(string name);

    void SaveBinding(BindingSpec binding);

    void DeleteBinding(BindingSpec binding);

    void SaveQueue(QueueDeclaration queue);

    void DeleteQueue(string name);
}

namespace EdgeBroker.Core.Routing;

/// <summary>Everything the topology store holds, as loaded at start.</summary>
public sealed record TopologySnapshot(IReadOnlyList<ExchangeDeclaration> Exchanges, IReadOnlyList<BindingSpec> Bindings, IReadOnlyList<QueueDeclaration> Queues)
{
    public static TopologySnapshot Empty { get; } = new([], [], []);
}

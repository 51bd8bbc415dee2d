namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Queues;

/// <summary>A declared queue as the topology store keeps it.</summary>
public sealed record QueueDeclaration(string Name, QueueOptions Options);

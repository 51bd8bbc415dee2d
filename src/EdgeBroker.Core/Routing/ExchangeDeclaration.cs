namespace EdgeBroker.Core.Routing;

/// <summary>A declared exchange as the topology store keeps it.</summary>
public sealed record ExchangeDeclaration(string Name, ExchangeType Type);

namespace EdgeBroker.Core.Queues;

/// <summary>One message leaving a queue.</summary>
internal readonly record struct Settlement(long MessageId, SettlementKind Kind);

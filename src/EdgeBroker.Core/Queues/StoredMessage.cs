namespace EdgeBroker.Core.Queues;

/// <summary>A message record read back from the journal.</summary>
internal readonly record struct StoredMessage(long Id, long EnqueuedAtMs, ReadOnlyMemory<byte> Value);

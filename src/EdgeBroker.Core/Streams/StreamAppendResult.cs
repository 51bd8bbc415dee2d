namespace EdgeBroker.Core.Streams;

/// <summary>Where a durable append landed.</summary>
public readonly record struct StreamAppendResult(int Partition, long Offset);

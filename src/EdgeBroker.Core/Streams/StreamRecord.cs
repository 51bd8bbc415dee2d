namespace EdgeBroker.Core.Streams;

using EdgeBroker.Core.Messages;

/// <summary>One record read back from a stream: the message with where and when it was stored. Immutable.</summary>
public sealed record StreamRecord(int Partition, long Offset, long TimestampMs, Message Message);

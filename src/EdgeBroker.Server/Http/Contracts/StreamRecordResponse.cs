namespace EdgeBroker.Server.Http.Contracts;

/// <summary>One stream record: its position and time, and the message (same fields as <see cref="MessageResponse"/>).</summary>
public sealed record StreamRecordResponse(int Partition, long Offset, long TimestampMs, MessageResponse Message);

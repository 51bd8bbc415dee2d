namespace EdgeBroker.Server.Http.Contracts;

/// <summary>Where an acknowledged (durable) append landed.</summary>
public sealed record StreamAppendResponse(string Stream, int Partition, long Offset);

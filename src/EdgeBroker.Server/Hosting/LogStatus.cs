namespace EdgeBroker.Server.Hosting;

/// <summary>A point-in-time view of one open log, for /healthz and /metrics.</summary>
public sealed record LogStatus(string Name, string Directory, long SizeBytes, int SegmentCount, bool IsReadOnly);

namespace EdgeBroker.Server.Hosting;

/// <summary>A point-in-time view of one open log, for /healthz and /metrics. <see cref="SegmentCount"/> is null when the store does not expose it.</summary>
public sealed record LogStatus(string Name, string Directory, long SizeBytes, int? SegmentCount, bool IsReadOnly);

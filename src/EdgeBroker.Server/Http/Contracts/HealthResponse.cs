namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The body of <c>GET /healthz</c>. <see cref="Status"/>: <c>ok</c>, <c>degraded</c> (read-only logs) or <c>unavailable</c>.</summary>
public sealed record HealthResponse(string Status, double UptimeSeconds, string Fsync, string PowerLossExposure, IReadOnlyList<string> ReadOnlyLogs);

namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The body of <c>POST /api/queues/{name}/purge</c>.</summary>
public sealed record PurgeResponse(string Queue, long Purged);

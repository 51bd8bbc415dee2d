namespace EdgeBroker.Server.Http;

using EdgeBroker.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using EdgeBroker.Server.Http.Contracts;

/// <summary>
/// <c>GET /healthz</c>: 200 <c>ok</c> while running; 503 <c>degraded</c> when a log went read-only after a
/// write/fsync error (R11) or <c>unavailable</c> while starting or stopping. Always shows the fsync policy and
/// its power-loss exposure (R13). "Running" waits for the host's ApplicationStarted: Kestrel serves the HTTP port
/// as soon as it is bound, before it binds the listeners after it (MQTT/STOMP TLS, HTTPS), and a health check that
/// answered ok then sent clients to ports that still refused connections.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", Health).WithTags("Health").Produces<HealthResponse>().Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

    private static JsonHttpResult<HealthResponse> Health(BrokerAccessor accessor, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        var uptime = (time.GetUtcNow() - accessor.StartedAt).TotalSeconds;
        var fsync = accessor.FsyncPolicy;
        var runtime = accessor.Runtime;
        if (runtime is null || !lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return TypedResults.Json(new HealthResponse("unavailable", uptime, fsync.ToString(), fsync.PowerLossExposure, []), ApiJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var readOnly = runtime.Logs.Where(l => l.IsReadOnly).Select(l => l.Name).ToArray();
        var body = new HealthResponse(readOnly.Length == 0 ? "ok" : "degraded", uptime, fsync.ToString(), fsync.PowerLossExposure, readOnly);
        return TypedResults.Json(body, ApiJsonContext.Default.HealthResponse, statusCode: readOnly.Length == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

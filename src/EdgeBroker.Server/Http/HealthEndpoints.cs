namespace EdgeBroker.Server.Http;

using EdgeBroker.Server.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using EdgeBroker.Server.Http.Contracts;

/// <summary>
/// <c>GET /healthz</c>: 200 <c>ok</c> while running; 503 <c>degraded</c> when a log went read-only after a
/// write/fsync error (R11) or <c>unavailable</c> while starting or stopping. Always shows the fsync policy and
/// its power-loss exposure (R13).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/healthz", Health).WithTags("Health").Produces<HealthResponse>().Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

    private static JsonHttpResult<HealthResponse> Health(BrokerAccessor accessor, TimeProvider time)
    {
        var uptime = (time.GetUtcNow() - accessor.StartedAt).TotalSeconds;
        var fsync = accessor.FsyncPolicy;
        var runtime = accessor.Runtime;
        if (runtime is null)
        {
            return TypedResults.Json(new HealthResponse("unavailable", uptime, fsync.ToString(), fsync.PowerLossExposure, []), ApiJsonContext.Default.HealthResponse, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var readOnly = runtime.Logs.Where(l => l.IsReadOnly).Select(l => l.Name).ToArray();
        var body = new HealthResponse(readOnly.Length == 0 ? "ok" : "degraded", uptime, fsync.ToString(), fsync.PowerLossExposure, readOnly);
        return TypedResults.Json(body, ApiJsonContext.Default.HealthResponse, statusCode: readOnly.Length == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

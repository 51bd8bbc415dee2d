namespace EdgeBroker.Server.Http;

using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Http.Contracts;

/// <summary><c>GET /api/overview</c>: counters and topology totals for the dashboard.</summary>
internal static class OverviewEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/overview", Overview).WithTags("Overview").Produces<OverviewResponse>();

    private static IResult Overview(BrokerAccessor accessor, TimeProvider time)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        var counters = broker.Counters;
        var topology = broker.Topology;
        var queues = topology.Queues;
        var version = typeof(OverviewEndpoints).Assembly.GetName().Version?.ToString() ?? "0.0.0";
        return TypedResults.Ok(new OverviewResponse(
            version,
            (time.GetUtcNow() - accessor.StartedAt).TotalSeconds,
            accessor.FsyncPolicy.ToString(),
            accessor.FsyncPolicy.PowerLossExposure,
            counters.MessagesIn,
            counters.MessagesOut,
            counters.BytesIn,
            counters.BytesOut,
            counters.MessagesDropped,
            topology.Exchanges.Count,
            topology.Bindings.Count,
            queues.Count,
            queues.Sum(q => q.Ready),
            queues.Sum(q => q.Unacked)));
    }
}

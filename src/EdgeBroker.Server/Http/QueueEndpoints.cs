namespace EdgeBroker.Server.Http;

using EdgeBroker.Core.Queues;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Http.Contracts;
using EdgeBroker.Server.Logging;

/// <summary><c>/api/queues</c>: list, declare, delete, purge, stats, peek and fetch (basic.get with ack).</summary>
internal static class QueueEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var queues = api.MapGroup("/queues").WithTags("Queues");
        queues.MapGet("/", List).Produces<IReadOnlyList<QueueStats>>();
        queues.MapGet("/{name}", Get).Produces<QueueStats>().ProducesProblem(StatusCodes.Status404NotFound);
        queues.MapPut("/{name}", DeclareAsync).Accepts<QueueSettings>("application/json").Produces<QueueStats>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        queues.MapDelete("/{name}", Delete).ProducesProblem(StatusCodes.Status404NotFound);
        queues.MapPost("/{name}/purge", PurgeAsync).Produces<PurgeResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        queues.MapGet("/{name}/messages", Peek).Produces<IReadOnlyList<MessageResponse>>().ProducesProblem(StatusCodes.Status404NotFound);
        queues.MapPost("/{name}/get", FetchAsync).Produces<IReadOnlyList<MessageResponse>>().ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult List(BrokerAccessor accessor) =>
        ApiSupport.TryGetBroker(accessor, out var broker, out var problem) ? TypedResults.Ok(broker.Topology.Queues) : problem!;

    private static IResult Get(string name, BrokerAccessor accessor)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        return broker.Topology.GetQueue(name) is { } stats ? TypedResults.Ok(stats) : QueueNotFound(name);
    }

    private static async Task<IResult> DeclareAsync(string name, HttpContext context, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var unavailable))
        {
            return unavailable!;
        }

        if (!NameRules.IsValidName(name))
        {
            return ApiSupport.BadRequest($"Queue name '{name}' is invalid: use {NameRules.Description}.");
        }

        var (declaration, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.QueueSettings, () => new QueueSettings()).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            broker.Topology.DeclareQueue(name, declaration!.ToQueueOptions());
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return ApiSupport.Conflict(ex.Message);
        }

        HttpApiLog.TopologyChanged(logger, "declared queue", name);
        return broker.Topology.GetQueue(name) is { } stats ? TypedResults.Ok(stats) : QueueNotFound(name);
    }

    private static IResult Delete(string name, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        if (!broker.Topology.DeleteQueue(name))
        {
            return QueueNotFound(name);
        }

        HttpApiLog.TopologyChanged(logger, "deleted queue", name);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> PurgeAsync(string name, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        if (broker.Topology.GetQueue(name) is null)
        {
            return QueueNotFound(name);
        }

        var purged = await broker.Topology.PurgeQueueAsync(name).ConfigureAwait(false);
        HttpApiLog.QueuePurged(logger, name, purged);
        return TypedResults.Ok(new PurgeResponse(name, purged));
    }

    private static IResult Peek(string name, int? count, BrokerAccessor accessor)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        if (broker.Topology.GetQueue(name) is null)
        {
            return QueueNotFound(name);
        }

        IReadOnlyList<MessageResponse> messages = broker.Topology.PeekQueue(name, ApiSupport.ClampCount(count ?? 10))
            .Select(m => ApiSupport.ToResponse(m))
            .ToArray();
        return TypedResults.Ok(messages);
    }

    private static async Task<IResult> FetchAsync(string name, int? count, HttpContext context, BrokerAccessor accessor)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        if (broker.Topology.GetQueue(name) is null)
        {
            return QueueNotFound(name);
        }

        IReadOnlyList<QueueDelivery> deliveries;
        try
        {
            deliveries = await broker.FetchAsync(name, ApiSupport.ClampCount(count), ApiSupport.Identity(context), context.RequestAborted).ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException ex)
        {
            return ApiSupport.Problem(StatusCodes.Status403Forbidden, "Not authorized", ex.Message);
        }

        IReadOnlyList<MessageResponse> messages = deliveries.Select(d => ApiSupport.ToResponse(d.Message, d)).ToArray();
        return TypedResults.Ok(messages);
    }

    private static IResult QueueNotFound(string name) => ApiSupport.NotFound($"Queue '{name}' does not exist.");
}

namespace EdgeBroker.Server.Http;

using EdgeBroker.Core.Routing;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Logging;

/// <summary><c>/api/exchanges</c>: list, show, declare (PUT, idempotent) and delete.</summary>
internal static class ExchangeEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var exchanges = api.MapGroup("/exchanges").WithTags("Exchanges");
        exchanges.MapGet("/", List).Produces<IReadOnlyList<ExchangeInfo>>();
        exchanges.MapGet("/{name}", Get).Produces<ExchangeInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        exchanges.MapPut("/{name}", DeclareAsync).Accepts<ExchangeSettings>("application/json").Produces<ExchangeInfo>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        exchanges.MapDelete("/{name}", Delete).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static IResult List(BrokerAccessor accessor) =>
        ApiSupport.TryGetBroker(accessor, out var broker, out var problem) ? TypedResults.Ok(broker.Topology.Exchanges) : problem!;

    private static IResult Get(string name, BrokerAccessor accessor)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        return Find(broker.Topology, name) is { } info ? TypedResults.Ok(info) : ApiSupport.NotFound($"Exchange '{name}' does not exist.");
    }

    private static async Task<IResult> DeclareAsync(string name, HttpContext context, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var unavailable))
        {
            return unavailable!;
        }

        if (!NameRules.IsValidName(name))
        {
            return ApiSupport.BadRequest($"Exchange name '{name}' is invalid: use {NameRules.Description}.");
        }

        var (declaration, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.ExchangeSettings, () => new ExchangeSettings()).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!Enum.IsDefined(declaration!.Type))
        {
            return ApiSupport.BadRequest("'type' must be Topic, Direct, Fanout or Headers.");
        }

        try
        {
            broker.Topology.DeclareExchange(name, declaration.Type);
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return ApiSupport.Conflict(ex.Message);
        }

        HttpApiLog.TopologyChanged(logger, "declared exchange", name);
        return Find(broker.Topology, name) is { } info ? TypedResults.Ok(info) : ApiSupport.NotFound($"Exchange '{name}' does not exist.");
    }

    private static IResult Delete(string name, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var problem))
        {
            return problem!;
        }

        try
        {
            if (!broker.Topology.DeleteExchange(name))
            {
                return ApiSupport.NotFound($"Exchange '{name}' does not exist.");
            }
        }
        catch (InvalidOperationException ex)
        {
            return ApiSupport.Conflict(ex.Message);
        }

        HttpApiLog.TopologyChanged(logger, "deleted exchange", name);
        return TypedResults.NoContent();
    }

    private static ExchangeInfo? Find(Core.IBrokerTopology topology, string name) =>
        topology.Exchanges.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));
}

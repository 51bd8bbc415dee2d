namespace EdgeBroker.Server.Http;

using EdgeBroker.Core.Routing;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Logging;

/// <summary><c>/api/bindings</c>: list, bind (POST, idempotent) and unbind (DELETE with the same body).</summary>
internal static class BindingEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var bindings = api.MapGroup("/bindings").WithTags("Bindings");
        bindings.MapGet("/", List).Produces<IReadOnlyList<BindingSpec>>();
        bindings.MapPost("/", BindAsync).Accepts<BindingSettings>("application/json").Produces<BindingSpec>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        bindings.MapDelete("/", UnbindAsync).Accepts<BindingSettings>("application/json").ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult List(BrokerAccessor accessor) =>
        ApiSupport.TryGetBroker(accessor, out var broker, out var problem) ? TypedResults.Ok(broker.Topology.Bindings) : problem!;

    private static async Task<IResult> BindAsync(HttpContext context, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var unavailable))
        {
            return unavailable!;
        }

        var (spec, problem) = await ReadSpecAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            broker.Topology.Bind(spec!);
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return ApiSupport.NotFound(ex.Message);
        }

        HttpApiLog.BindingChanged(logger, "bound", spec!.Exchange, spec.Pattern, spec.TargetKind, spec.Target);
        return TypedResults.Ok(spec);
    }

    private static async Task<IResult> UnbindAsync(HttpContext context, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var unavailable))
        {
            return unavailable!;
        }

        var (spec, problem) = await ReadSpecAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!broker.Topology.Unbind(spec!))
        {
            return ApiSupport.NotFound("No such binding.");
        }

        HttpApiLog.BindingChanged(logger, "unbound", spec!.Exchange, spec.Pattern, spec.TargetKind, spec.Target);
        return TypedResults.NoContent();
    }

    private static async Task<(BindingSpec? Spec, IResult? Problem)> ReadSpecAsync(HttpContext context)
    {
        var (declaration, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.BindingSettings, empty: null).ConfigureAwait(false);
        if (problem is not null)
        {
            return (null, problem);
        }

        var hasQueue = !string.IsNullOrEmpty(declaration!.Queue);
        if (hasQueue == !string.IsNullOrEmpty(declaration.Stream))
        {
            return (null, ApiSupport.BadRequest("Name exactly one target: 'queue' or 'stream'."));
        }

        if (!NameRules.IsValidName(declaration.Queue ?? declaration.Stream))
        {
            return (null, ApiSupport.BadRequest($"Target name '{declaration.Queue ?? declaration.Stream}' is invalid: use {NameRules.Description}."));
        }

        return (declaration.ToBindingSpec(), null);
    }
}

namespace EdgeBroker.Server.Http;

using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Http.Contracts;
using EdgeBroker.Storage;

/// <summary>
/// <c>/api/streams/{name}/groups</c>: consumer groups over HTTP. A fetch without a member id joins; every call
/// with one is a heartbeat; commits are confirmed only once durable (R5). Unknown member → 404 (join again);
/// a partition owned by another member → 409 (it moved in a rebalance).
/// </summary>
internal static class StreamGroupEndpoints
{
    public static void Map(RouteGroupBuilder streams)
    {
        streams.MapGet("/{name}/groups", List).Produces<IReadOnlyList<ConsumerGroupInfo>>().ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapGet("/{name}/groups/{group}", Get).Produces<ConsumerGroupInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapPost("/{name}/groups/{group}/fetch", FetchAsync).Accepts<GroupFetchRequest>("application/json").Produces<GroupFetchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapPost("/{name}/groups/{group}/commit", CommitAsync).Accepts<GroupCommitRequest>("application/json").Produces<ConsumerGroupInfo>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        streams.MapPost("/{name}/groups/{group}/heartbeat", HeartbeatAsync).Accepts<GroupMemberRequest>("application/json").Produces<GroupFetchResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapDelete("/{name}/groups/{group}/members/{memberId}", Leave).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static IResult List(string name, BrokerAccessor accessor)
    {
        if (!StreamApiSupport.TryGetStream(accessor, name, out var store, out _, out var problem))
        {
            return problem!;
        }

        return TypedResults.Ok(store.Groups(name));
    }

    private static IResult Get(string name, string group, BrokerAccessor accessor)
    {
        if (!TryGetGroup(accessor, name, group, out var consumerGroup, out var problem))
        {
            return problem!;
        }

        return TypedResults.Ok(consumerGroup.Info);
    }

    private static async Task<IResult> FetchAsync(string name, string group, HttpContext context, BrokerAccessor accessor, IHostApplicationLifetime lifetime)
    {
        if (!TryGetGroup(accessor, name, group, out var consumerGroup, out var unavailable))
        {
            return unavailable!;
        }

        var (request, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.GroupFetchRequest, () => new GroupFetchRequest()).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (StreamApiSupport.CheckMax(request!.Max, out var maxProblem) is not { } max)
        {
            return maxProblem!;
        }

        if (StreamApiSupport.CheckWait(request.WaitMs, out var waitProblem) is not { } wait)
        {
            return waitProblem!;
        }

        var start = StreamPosition.First;
        if (request.Start is not null && !StreamPosition.TryParse(request.Start, out start))
        {
            return ApiSupport.BadRequest($"'start' must be first, last, next, offset:N or timestamp:ms (was '{request.Start}').");
        }

        if (!Enum.IsDefined(request.Mode))
        {
            return ApiSupport.BadRequest("'mode' must be AtLeastOnce or AtMostOnce.");
        }

        try
        {
            // A new member (no id) joins; a known id is refreshed. An id that expired joins again under the same id.
            var member = consumerGroup.Join(request.MemberId, request.Mode, start);
            using var aborted = StreamApiSupport.LinkStopping(context, lifetime);
            var result = await member.FetchAsync(max, wait, aborted.Token).ConfigureAwait(false);
            return TypedResults.Ok(new GroupFetchResponse(result.MemberId, result.Generation, result.Assignment, StreamApiSupport.ToResponses(result.Records)));
        }
        catch (GroupMembershipException ex)
        {
            return ApiSupport.NotFound(ex.Message);
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (LogCorruptedException ex)
        {
            return StreamApiSupport.Corrupt(ex);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException && lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return ApiSupport.Unavailable();
        }
        catch (IOException ex)
        {
            return ApiSupport.Problem(StatusCodes.Status507InsufficientStorage, "Not stored", $"An at-most-once commit could not be made durable: {ex.Message}");
        }
    }

    private static async Task<IResult> CommitAsync(string name, string group, HttpContext context, BrokerAccessor accessor)
    {
        if (!TryGetGroup(accessor, name, group, out var consumerGroup, out var unavailable))
        {
            return unavailable!;
        }

        var (request, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.GroupCommitRequest, empty: null).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(request!.MemberId))
        {
            return ApiSupport.BadRequest("'memberId' is required (the id a fetch returned).");
        }

        if (request.Offsets.Count == 0)
        {
            return ApiSupport.BadRequest("'offsets' must list at least one {partition, offset}.");
        }

        try
        {
            foreach (var item in request.Offsets)
            {
                await consumerGroup.CommitAsync(request.MemberId, item.Partition, item.Offset, context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (StreamOffsetException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (GroupMembershipException ex) when (consumerGroup.AssignmentOf(request.MemberId).Count > 0 || ex.Message.Contains("does not own", StringComparison.Ordinal))
        {
            return ApiSupport.Conflict(ex.Message);
        }
        catch (GroupMembershipException ex)
        {
            return ApiSupport.NotFound(ex.Message);
        }
        catch (IOException ex)
        {
            return ApiSupport.Problem(StatusCodes.Status507InsufficientStorage, "Not stored", $"The commit could not be made durable; it was not confirmed: {ex.Message}");
        }

        return TypedResults.Ok(consumerGroup.Info);
    }

    private static async Task<IResult> HeartbeatAsync(string name, string group, HttpContext context, BrokerAccessor accessor)
    {
        if (!TryGetGroup(accessor, name, group, out var consumerGroup, out var unavailable))
        {
            return unavailable!;
        }

        var (request, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.GroupMemberRequest, empty: null).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrEmpty(request!.MemberId) || !consumerGroup.Heartbeat(request.MemberId))
        {
            return ApiSupport.NotFound($"'{request.MemberId}' is not a member of group '{group}' (left or expired); fetch without a member id to join.");
        }

        return TypedResults.Ok(new GroupFetchResponse(request.MemberId, consumerGroup.Generation, consumerGroup.AssignmentOf(request.MemberId), []));
    }

    private static IResult Leave(string name, string group, string memberId, BrokerAccessor accessor)
    {
        if (!TryGetGroup(accessor, name, group, out var consumerGroup, out var problem))
        {
            return problem!;
        }

        return consumerGroup.Leave(memberId) ? TypedResults.NoContent() : ApiSupport.NotFound($"'{memberId}' is not a member of group '{group}'.");
    }

    private static bool TryGetGroup(BrokerAccessor accessor, string name, string group, out ConsumerGroup consumerGroup, out IResult? problem)
    {
        consumerGroup = null!;
        if (!StreamApiSupport.TryGetStream(accessor, name, out var store, out _, out problem))
        {
            return false;
        }

        try
        {
            consumerGroup = store.Group(name, group);
            return true;
        }
        catch (ArgumentException ex)
        {
            problem = ApiSupport.BadRequest(ex.Message);
            return false;
        }
        catch (KeyNotFoundException)
        {
            problem = StreamApiSupport.NotFound(name);
            return false;
        }
    }
}

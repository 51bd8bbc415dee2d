namespace EdgeBroker.Server.Http;

using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Http.Contracts;
using EdgeBroker.Server.Logging;
using EdgeBroker.Storage;

/// <summary>
/// <c>/api/streams</c>: declare, list, show, delete, truncate, append (acknowledged only once durable, R1) and
/// Kafka-style partition fetch with long polling. Consumer groups: <see cref="StreamGroupEndpoints"/>.
/// </summary>
internal static class StreamEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var streams = api.MapGroup("/streams").WithTags("Streams");
        streams.MapGet("/", List).Produces<IReadOnlyList<StreamResponse>>();
        streams.MapGet("/{name}", Get).Produces<StreamResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapPut("/{name}", DeclareAsync).Accepts<StreamSettings>("application/json").Produces<StreamResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        streams.MapDelete("/{name}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapPost("/{name}/truncate", TruncateAsync).Accepts<StreamTruncateRequest>("application/json").Produces<StreamTruncateResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        streams.MapPost("/{name}/records", AppendAsync).Accepts<StreamAppendRequest>("application/json").Produces<StreamAppendResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status507InsufficientStorage).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        streams.MapGet("/{name}/partitions/{partition:int}/records", FetchAsync).Produces<StreamFetchResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        StreamGroupEndpoints.Map(streams);
    }

    private static IResult List(BrokerAccessor accessor)
    {
        if (!StreamApiSupport.TryGetStore(accessor, out var store, out var problem))
        {
            return problem!;
        }

        IReadOnlyList<StreamResponse> streams = [.. store.All.Select(s => StreamResponse.From(s.Stats))];
        return TypedResults.Ok(streams);
    }

    private static IResult Get(string name, BrokerAccessor accessor) =>
        StreamApiSupport.TryGetStream(accessor, name, out _, out var stream, out var problem) ? TypedResults.Ok(StreamResponse.From(stream.Stats)) : problem!;

    private static async Task<IResult> DeclareAsync(string name, HttpContext context, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!StreamApiSupport.TryGetStore(accessor, out var store, out var unavailable))
        {
            return unavailable!;
        }

        var (settings, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.StreamSettings, () => new StreamSettings()).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (settings!.Check(name) is { } reason)
        {
            return ApiSupport.BadRequest(reason);
        }

        try
        {
            var (stream, created) = await store.DeclareAsync(settings.ToDeclaration(name), context.RequestAborted).ConfigureAwait(false);
            if (created)
            {
                HttpApiLog.TopologyChanged(logger, "declared stream", name);
                return TypedResults.Created($"/api/streams/{name}", StreamResponse.From(stream.Stats));
            }

            return TypedResults.Ok(StreamResponse.From(stream.Stats));
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            return ApiSupport.Conflict(ex.Message);
        }
        catch (IOException ex)
        {
            return ApiSupport.Problem(StatusCodes.Status507InsufficientStorage, "Not stored", $"The stream could not be created: {ex.Message}");
        }
    }

    private static async Task<IResult> DeleteAsync(string name, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!StreamApiSupport.TryGetStore(accessor, out var store, out var problem))
        {
            return problem!;
        }

        if (!await store.DeleteAsync(name).ConfigureAwait(false))
        {
            return StreamApiSupport.NotFound(name);
        }

        HttpApiLog.TopologyChanged(logger, "deleted stream", name);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> TruncateAsync(string name, HttpContext context, BrokerAccessor accessor, ILogger<HttpApi> logger)
    {
        if (!StreamApiSupport.TryGetStream(accessor, name, out var store, out _, out var unavailable))
        {
            return unavailable!;
        }

        var (request, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.StreamTruncateRequest, () => new StreamTruncateRequest()).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        try
        {
            var starts = await store.TruncateAsync(name, request!.Partition, request.BeforeOffset, context.RequestAborted).ConfigureAwait(false);
            HttpApiLog.TopologyChanged(logger, "truncated stream", name);
            return TypedResults.Ok(new StreamTruncateResponse(name, starts));
        }
        catch (StreamOffsetException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (KeyNotFoundException)
        {
            return StreamApiSupport.NotFound(name);
        }
    }

    private static async Task<IResult> AppendAsync(string name, HttpContext context, BrokerAccessor accessor, TimeProvider time, ILogger<HttpApi> logger)
    {
        if (!StreamApiSupport.TryGetStream(accessor, name, out _, out var stream, out var unavailable))
        {
            return unavailable!;
        }

        var (request, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.StreamAppendRequest, empty: null).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryBuildMessage(name, request!, context, time, out var message, out var error))
        {
            return ApiSupport.BadRequest(error!);
        }

        if (accessor.TryGetBroker(out var broker) && !broker.Authorizer.CanPublish(ApiSupport.Identity(context), message!.Topic))
        {
            return ApiSupport.Problem(StatusCodes.Status403Forbidden, "Not authorized", $"Appending to stream '{name}' with topic '{message.Topic}' is not allowed.");
        }

        if (accessor.Alarms.MemoryReason is { } memoryAlarm)
        {
            context.Response.Headers.RetryAfter = "5";
            return ApiSupport.Problem(StatusCodes.Status503ServiceUnavailable, "Appending paused", memoryAlarm, "Failed");
        }

        if (accessor.Runtime?.Alarms?.DiskReason is { } diskAlarm)
        {
            return ApiSupport.Problem(StatusCodes.Status507InsufficientStorage, "Not stored", diskAlarm, "Failed");
        }

        if (request!.Partition is { } partition && (partition < 0 || partition >= stream.PartitionCount))
        {
            return ApiSupport.BadRequest($"'partition' must be between 0 and {stream.PartitionCount - 1} (was {partition}).");
        }

        try
        {
            var result = await stream.AppendAsync(message!, request.Partition, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Ok(new StreamAppendResponse(name, result.Partition, result.Offset));
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // R11/R12: nothing acknowledged; the client may retry once storage recovers.
            HttpApiLog.PublishNotAcknowledged(logger, message!.Topic, Core.Routing.PublishOutcome.Failed, ex.Message);
            return ApiSupport.Problem(StatusCodes.Status507InsufficientStorage, "Not stored", $"The stream could not make the record durable; it was not acknowledged: {ex.Message}", "Failed");
        }
    }

    private static async Task<IResult> FetchAsync(string name, int partition, long? offset, string? from, long? timestamp, int? max, int? waitMs, BrokerAccessor accessor, HttpContext context, IHostApplicationLifetime lifetime)
    {
        if (!StreamApiSupport.TryGetStream(accessor, name, out _, out var stream, out var unavailable))
        {
            return unavailable!;
        }

        if (accessor.TryGetBroker(out var broker) && !broker.Authorizer.CanConsume(ApiSupport.Identity(context), name))
        {
            return ApiSupport.Problem(StatusCodes.Status403Forbidden, "Not authorized", $"Reading stream '{name}' is not allowed.");
        }

        if (partition < 0 || partition >= stream.PartitionCount)
        {
            return ApiSupport.NotFound($"Stream '{name}' has partitions 0..{stream.PartitionCount - 1} (asked for {partition}).");
        }

        if (StreamApiSupport.CheckMax(max, out var maxProblem) is not { } count)
        {
            return maxProblem!;
        }

        if (StreamApiSupport.CheckWait(waitMs, out var waitProblem) is not { } wait)
        {
            return waitProblem!;
        }

        if (!TryPosition(offset, from, timestamp, out var position, out var positionError))
        {
            return ApiSupport.BadRequest(positionError!);
        }

        try
        {
            var reader = stream.OpenReader(partition, position);
            using var aborted = StreamApiSupport.LinkStopping(context, lifetime);
            var records = await reader.ReadAsync(count, wait, aborted.Token).ConfigureAwait(false);
            return TypedResults.Ok(new StreamFetchResponse(partition, stream.StartOffset(partition), stream.EndOffset(partition), reader.NextOffset, StreamApiSupport.ToResponses(records)));
        }
        catch (StreamOffsetException ex)
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
    }

    /// <summary><c>offset=N</c> wins; else <c>from=first|last|next|timestamp|offset:N|timestamp:ms</c> (with <c>timestamp=ms</c>); default first.</summary>
    private static bool TryPosition(long? offset, string? from, long? timestamp, out StreamPosition position, out string? error)
    {
        error = null;
        position = StreamPosition.First;
        if (offset is { } o)
        {
            if (o < 0)
            {
                error = $"'offset' must not be negative (was {o}).";
                return false;
            }

            position = StreamPosition.AtOffset(o);
            return true;
        }

        if (string.Equals(from, "timestamp", StringComparison.OrdinalIgnoreCase))
        {
            if (timestamp is not { } ms)
            {
                error = "'from=timestamp' needs 'timestamp' (Unix milliseconds).";
                return false;
            }

            position = StreamPosition.AtTimestamp(ms);
            return true;
        }

        if (from is null)
        {
            if (timestamp is { } ms)
            {
                position = StreamPosition.AtTimestamp(ms);
            }

            return true;
        }

        if (!StreamPosition.TryParse(from, out position))
        {
            error = $"'from' must be first, last, next, timestamp, offset:N or timestamp:ms (was '{from}').";
            return false;
        }

        return true;
    }

    private static bool TryBuildMessage(string stream, StreamAppendRequest request, HttpContext context, TimeProvider time, out Message? message, out string? error)
    {
        message = null;
        if (request.Payload is not null && request.PayloadBase64 is not null)
        {
            error = "Give either 'payload' (text) or 'payloadBase64', not both.";
            return false;
        }

        byte[] payload;
        if (request.PayloadBase64 is not null)
        {
            try
            {
                payload = Convert.FromBase64String(request.PayloadBase64);
            }
            catch (FormatException)
            {
                error = "'payloadBase64' is not valid base64.";
                return false;
            }
        }
        else
        {
            payload = request.Payload is null ? [] : Encoding.UTF8.GetBytes(request.Payload);
        }

        var topic = string.IsNullOrEmpty(request.Topic) ? stream : request.Topic;
        if (Core.Topics.Topic.Validate(topic) is var topicError && topicError != Core.Topics.TopicError.None)
        {
            error = $"'topic' is invalid: {Core.Topics.Topic.Describe(topicError)}.";
            return false;
        }

        message = new Message
        {
            Topic = topic,
            Payload = payload,
            ContentType = request.ContentType,
            PayloadFormat = request.Payload is not null ? PayloadFormat.Utf8 : PayloadFormat.Unspecified,
            Headers = request.Headers.Select(h => new MessageHeader(h.Key, h.Value)).ToArray(),
            TimestampMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Key = request.Key,
            Qos = QualityOfService.AtLeastOnce,
            Persistent = true,
            Origin = new MessageOrigin(ProtocolKind.Http, ApiSupport.Identity(context).ClientId),
        };
        error = null;
        return true;
    }
}

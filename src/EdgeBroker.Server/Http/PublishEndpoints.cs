namespace EdgeBroker.Server.Http;

using System.Text;
using EdgeBroker.Core;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Http.Contracts;
using EdgeBroker.Server.Logging;

/// <summary>
/// <c>POST /api/publish</c>. Answers only after the broker's publish completed, i.e. after every durable
/// target accepted the message under the fsync policy (R1, R3), so a 2xx is an acknowledgement.
/// Status mapping (one place): Accepted/NoMatchingSubscribers → 200; InvalidTopic → 400; NotAuthorized → 403;
/// Rejected (a full queue or quota, retryable once consumers catch up) → 429; Failed (storage error) → 507 (R12, F12).
/// </summary>
internal static class PublishEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/publish", PublishAsync)
            .WithName("Publish")
            .Accepts<PublishRequest>("application/json")
            .Produces<PublishResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PublishAsync(HttpContext context, BrokerAccessor accessor, TimeProvider time, ILogger<HttpApi> logger)
    {
        if (!ApiSupport.TryGetBroker(accessor, out var broker, out var unavailable))
        {
            return unavailable!;
        }

        var (request, problem) = await ApiSupport.ReadJsonAsync(context.Request, ApiJsonContext.Default.PublishRequest, empty: null).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!TryBuildMessage(request!, context, time, out var message, out var error))
        {
            HttpApiLog.BadRequest(logger, context.Request.Path, error!);
            return ApiSupport.BadRequest(error!);
        }

        if (accessor.Alarms.MemoryReason is { } memoryAlarm)
        {
            // A request cannot be held back by TCP flow control like a streaming publisher: refuse, say when to retry.
            context.Response.Headers.RetryAfter = "5";
            return ApiSupport.Problem(StatusCodes.Status503ServiceUnavailable, "Publishing paused", memoryAlarm, "Failed");
        }

        var publisher = ApiSupport.Identity(context);
        PublishResult result;
        try
        {
            result = request!.Queue is { Length: > 0 } queue
                ? await broker.PublishToQueueAsync(queue, message!, publisher, context.RequestAborted).ConfigureAwait(false)
                : request.Exchange is { Length: > 0 } exchange
                    ? await broker.PublishToExchangeAsync(exchange, message!, publisher, context.RequestAborted).ConfigureAwait(false)
                    : await broker.PublishAsync(message!, publisher, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            return ApiSupport.BadRequest(ex.Message);
        }

        if (result.IsAcknowledged)
        {
            return TypedResults.Ok(new PublishResponse(result.Outcome.ToString(), result.DurableTargets, result.LiveDeliveries));
        }

        HttpApiLog.PublishNotAcknowledged(logger, message!.Topic, result.Outcome, result.Reason);
        return ToProblem(result);
    }

    internal static IResult ToProblem(PublishResult result)
    {
        var outcome = result.Outcome.ToString();
        return result.Outcome switch
        {
            PublishOutcome.InvalidTopic => ApiSupport.Problem(StatusCodes.Status400BadRequest, "Invalid topic", result.Reason ?? "The topic or exchange is invalid or unknown.", outcome),
            PublishOutcome.NotAuthorized => ApiSupport.Problem(StatusCodes.Status403Forbidden, "Not authorized", result.Reason ?? "Publishing to this topic is not allowed.", outcome),
            PublishOutcome.Rejected => ApiSupport.Problem(StatusCodes.Status429TooManyRequests, "Rejected", result.Reason ?? "A target refused the message (full queue or quota); retry later.", outcome),
            _ => ApiSupport.Problem(StatusCodes.Status507InsufficientStorage, "Not stored", result.Reason ?? "Storage failed to make the message durable; it was not acknowledged.", outcome),
        };
    }

    private static bool TryBuildMessage(PublishRequest request, HttpContext context, TimeProvider time, out Message? message, out string? error)
    {
        message = null;
        var hasQueue = !string.IsNullOrEmpty(request.Queue);
        if (hasQueue && !string.IsNullOrEmpty(request.Exchange))
        {
            error = "Give either 'exchange' or 'queue', not both.";
            return false;
        }

        var topic = string.IsNullOrEmpty(request.Topic) ? (hasQueue ? request.Queue : null) : request.Topic;
        if (topic is null)
        {
            error = "'topic' is required (unless 'queue' is given).";
            return false;
        }

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

        var qos = request.Qos ?? 1;
        if (qos is < 0 or > 2)
        {
            error = $"'qos' must be 0, 1 or 2 (was {qos}).";
            return false;
        }

        message = new Message
        {
            Topic = topic,
            Payload = payload,
            ContentType = request.ContentType,
            PayloadFormat = request.Payload is not null ? PayloadFormat.Utf8 : PayloadFormat.Unspecified,
            CorrelationData = request.CorrelationId is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(request.CorrelationId),
            ResponseTopic = request.ResponseTopic,
            Headers = request.Headers.Select(h => new MessageHeader(h.Key, h.Value)).ToArray(),
            TimestampMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Key = request.Key,
            Qos = (QualityOfService)qos,
            Retain = request.Retain,
            Persistent = qos >= 1,
            Origin = new MessageOrigin(ProtocolKind.Http, ApiSupport.Identity(context).ClientId),
        };
        error = null;
        return true;
    }
}

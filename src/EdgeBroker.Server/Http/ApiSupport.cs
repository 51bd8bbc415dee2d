namespace EdgeBroker.Server.Http;

using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using EdgeBroker.Core;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Security;
using EdgeBroker.Server.Http.Contracts;

/// <summary>Shared pieces of the HTTP endpoints: RFC 7807 problems, body reading, message views. Stateless.</summary>
internal static class ApiSupport
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IResult Problem(int status, string title, string detail, string? outcome = null) =>
        TypedResults.Problem(
            detail: detail,
            statusCode: status,
            title: title,
            extensions: outcome is null ? null : new Dictionary<string, object?>(StringComparer.Ordinal) { ["outcome"] = outcome });

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    public static IResult Unavailable() =>
        Problem(StatusCodes.Status503ServiceUnavailable, "Broker unavailable", "The broker is starting or shutting down.");

    /// <summary>The running broker, or a 503 problem while starting/stopping.</summary>
    public static bool TryGetBroker(Hosting.BrokerAccessor accessor, out IBroker broker, out IResult? problem)
    {
        if (accessor.TryGetBroker(out broker))
        {
            problem = null;
            return true;
        }

        problem = Unavailable();
        return false;
    }

    /// <summary>
    /// Reads a JSON body with source-generated metadata. Malformed JSON becomes a 400 problem (never a 500);
    /// an empty body gives <paramref name="empty"/> when it is allowed.
    /// </summary>
    public static async Task<(T? Value, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, Func<T>? empty)
        where T : class
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length == 0)
        {
            return empty is null ? (null, BadRequest("A JSON request body is required.")) : (empty(), null);
        }

        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
            return value is null ? (null, BadRequest("The JSON body must be an object, not null.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest($"Malformed JSON body: {ex.Message}"));
        }
    }

    /// <summary>The anonymous identity of an HTTP caller (the API has no authentication yet; loopback by default).</summary>
    public static ClientIdentity Identity(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString();
        return new ClientIdentity(ProtocolKind.Http, "http:" + (remote ?? "local"), null, remote);
    }

    public static int ClampCount(int? count) => Math.Clamp(count ?? 1, 1, 1000);

    public static MessageResponse ToResponse(Message message, QueueDelivery? delivery = null) => new(
        message.Topic,
        TryDecodeUtf8(message.Payload.Span),
        Convert.ToBase64String(message.Payload.Span),
        message.ContentType,
        message.Headers,
        message.Key,
        message.TimestampMs,
        message.Qos,
        delivery?.DeliveryCount,
        delivery?.Redelivered ?? false);

    private static string? TryDecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}

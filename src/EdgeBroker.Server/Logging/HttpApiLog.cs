namespace EdgeBroker.Server.Logging;

using EdgeBroker.Core.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

/// <summary>HTTP API log events (4xxx). Topics and names only; never payloads.</summary>
internal static partial class HttpApiLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Refused origin {Origin} for {Path} from {RemoteAddress}: not in EdgeBroker:WebSockets:AllowedOrigins")]
    public static partial void OriginRefused(ILogger logger, string origin, PathString path, string? remoteAddress);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "HTTP publish to {Topic} not acknowledged: {Outcome} ({Reason})")]
    public static partial void PublishNotAcknowledged(ILogger logger, string topic, PublishOutcome outcome, string? reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "HTTP API {Operation} {Name}")]
    public static partial void TopologyChanged(ILogger logger, string operation, string name);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "HTTP API {Operation} {Exchange} {Pattern} -> {TargetKind} {Target}")]
    public static partial void BindingChanged(ILogger logger, string operation, string exchange, string pattern, BindingTargetKind targetKind, string target);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Debug, Message = "HTTP API rejected a request to {Path}: {Detail}")]
    public static partial void BadRequest(ILogger logger, PathString path, string detail);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "HTTP API purged {Count} messages from queue {Queue}")]
    public static partial void QueuePurged(ILogger logger, string queue, long count);
}

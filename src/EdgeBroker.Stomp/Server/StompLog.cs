namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Stomp.Codec;
using Microsoft.Extensions.Logging;

/// <summary>STOMP log events (STYLE.md #9: 3xxx). Never a payload, a passcode or raw input.</summary>
internal static partial class StompLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "STOMP {Transport} connection {ConnectionId} from {RemoteAddress} connected as {ClientId} (user {UserName}, version {Version}, heart-beat out {SendMs} ms / in {ReceiveMs} ms)")]
    public static partial void Connected(ILogger logger, string transport, string connectionId, string? remoteAddress, string clientId, string? userName, string version, int sendMs, int receiveMs);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "STOMP connection {ConnectionId} closed: {Reason} ({Dropped} live messages dropped)")]
    public static partial void Closed(ILogger logger, string connectionId, StompCloseReason reason, long dropped);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "STOMP connection {ConnectionId} from {RemoteAddress}: malformed input ({Kind}): {Detail}")]
    public static partial void MalformedFrame(ILogger logger, string connectionId, string? remoteAddress, StompErrorKind kind, string detail);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "STOMP connection {ConnectionId} from {RemoteAddress}: {Reason}: {Message}")]
    public static partial void Refused(ILogger logger, string connectionId, string? remoteAddress, StompCloseReason reason, string message);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "STOMP connection {ConnectionId}: unexpected failure")]
    public static partial void Unexpected(ILogger logger, Exception exception, string connectionId);
}

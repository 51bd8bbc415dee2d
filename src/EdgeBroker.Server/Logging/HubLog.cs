namespace EdgeBroker.Server.Logging;

using Microsoft.Extensions.Logging;

/// <summary>SignalR hub log events (41xx). Names and ids only; never payloads or passwords.</summary>
internal static partial class HubLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "SignalR connection {ConnectionId} from {RemoteAddress} connected as {UserName}")]
    public static partial void Connected(ILogger logger, string connectionId, string? remoteAddress, string? userName);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "SignalR connection {ConnectionId} closed ({Dropped} live messages dropped)")]
    public static partial void Disconnected(ILogger logger, string connectionId, long dropped);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "SignalR connection refused from {RemoteAddress}: {Reason}")]
    public static partial void Refused(ILogger logger, string? remoteAddress, string reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "SignalR connection {ConnectionId} could not be written to: {Reason}")]
    public static partial void SendFailed(ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "SignalR connection {ConnectionId} closed by an operator: {Reason}")]
    public static partial void ClosedByOperator(ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Debug, Message = "SignalR connection {ConnectionId}: {Method} refused: {Reason}")]
    public static partial void InvocationRefused(ILogger logger, string connectionId, string method, string reason);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Error, Message = "SignalR connection {ConnectionId}: {Method} failed")]
    public static partial void InvocationFailed(ILogger logger, Exception exception, string connectionId, string method);
}

namespace EdgeBroker.Mqtt.Server;

using Microsoft.Extensions.Logging;

/// <summary>
/// Log events of the MQTT adapter (STYLE.md example 9): connection events at Information, protocol errors at
/// Warning with the client and reason, never a payload or password. EventIds 2xxx.
/// </summary>
internal static partial class MqttLog
{
    [LoggerMessage(2001, LogLevel.Information, "MQTT client {ClientId} connected from {RemoteAddress} (v{ProtocolLevel}, clean {CleanStart}, keep-alive {KeepAlive}s, session present {SessionPresent})")]
    public static partial void Connected(ILogger logger, string clientId, string? remoteAddress, int protocolLevel, bool cleanStart, int keepAlive, bool sessionPresent);

    [LoggerMessage(2002, LogLevel.Information, "MQTT client {ClientId} disconnected: {Reason}")]
    public static partial void Disconnected(ILogger logger, string clientId, string reason);

    [LoggerMessage(2003, LogLevel.Warning, "MQTT connection {ConnectionId} ({ClientId}) closed on a protocol error: {ReasonCode} {Reason}")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string? clientId, string reasonCode, string reason);

    [LoggerMessage(2004, LogLevel.Warning, "MQTT connection {ConnectionId} from {RemoteAddress} refused: {ReasonCode} {Reason}")]
    public static partial void ConnectRefused(ILogger logger, string connectionId, string? remoteAddress, string reasonCode, string reason);

    [LoggerMessage(2005, LogLevel.Information, "MQTT client {ClientId}: session taken over by a new connection")]
    public static partial void TakenOver(ILogger logger, string clientId);

    [LoggerMessage(2006, LogLevel.Information, "MQTT connection {ConnectionId} from {RemoteAddress} sent no CONNECT in time; closed")]
    public static partial void ConnectTimeout(ILogger logger, string connectionId, string? remoteAddress);

    [LoggerMessage(2007, LogLevel.Warning, "MQTT client {ClientId}: publish to '{Topic}' refused by the broker: {Outcome} {Reason}")]
    public static partial void PublishRefused(ILogger logger, string clientId, string topic, string outcome, string? reason);

    [LoggerMessage(2008, LogLevel.Information, "MQTT session {ClientId} expired and was removed")]
    public static partial void SessionExpired(ILogger logger, string clientId);

    [LoggerMessage(2009, LogLevel.Information, "MQTT restored {Count} persistent sessions ({Expired} expired, {Unreadable} unreadable)")]
    public static partial void SessionsRestored(ILogger logger, int count, int expired, int unreadable);

    [LoggerMessage(2010, LogLevel.Warning, "MQTT client {ClientId}: will message to '{Topic}' not published: {Reason}")]
    public static partial void WillRefused(ILogger logger, string clientId, string topic, string reason);

    [LoggerMessage(2011, LogLevel.Warning, "MQTT client {ClientId}: session state could not be saved: {Reason}")]
    public static partial void SessionSaveFailed(ILogger logger, string clientId, string reason);

    [LoggerMessage(2012, LogLevel.Debug, "MQTT client {ClientId}: dropped a {Bytes}-byte message larger than the client's Maximum Packet Size {Limit}")]
    public static partial void OversizeDropped(ILogger logger, string clientId, int bytes, uint limit);

    [LoggerMessage(2013, LogLevel.Warning, "MQTT connection {ConnectionId} ({ClientId}) failed: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string connectionId, string? clientId, string reason);

    [LoggerMessage(2014, LogLevel.Warning, "MQTT client {ClientId}: subscription to '{Filter}' could not be restored: {Reason}")]
    public static partial void SubscriptionRestoreFailed(ILogger logger, string clientId, string filter, string reason);
}

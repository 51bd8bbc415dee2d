namespace EdgeBroker.Server.Logging;

/// <summary>Host events of the MQTT adapter (1xxx listeners/connections).</summary>
internal static partial class MqttHostLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "MQTT adapter started ({Sessions} persistent sessions restored)")]
    public static partial void Started(ILogger logger, int sessions);
}

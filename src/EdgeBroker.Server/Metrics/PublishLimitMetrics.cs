namespace EdgeBroker.Server.Metrics;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Limits;
using EdgeBroker.Server.Limits;

/// <summary>The memory alarm and what it and the publish message rate held back, for <c>GET /metrics</c>.</summary>
internal static class PublishLimitMetrics
{
    public static string Render(ResourceAlarms alarms, MemoryMonitor memory, PublishLimits publishing)
    {
        var writer = new PrometheusWriter();
        writer.Single("edgebroker_memory_alarm", "gauge", "1 while managed memory is above the high watermark and publishers are held.", alarms.MemoryAlarm ? 1 : 0);
        if (memory.Watermark is { } watermark)
        {
            writer.Single("edgebroker_memory_high_watermark_bytes", "gauge", "The memory high watermark (Limits:MemoryHighWatermarkBytes or Fraction).", watermark.WatermarkBytes);
            writer.Single("edgebroker_memory_used_bytes", "gauge", "Managed memory in use at the last check.", watermark.UsedBytes);
        }

        writer.Family("edgebroker_publishes_held_total", "counter", "Publishes (MQTT PUBLISH, STOMP SEND) held back before they were read further.");
        writer.Sample("edgebroker_publishes_held_total", publishing.MemoryHeld, ("reason", "memory_alarm"));
        writer.Sample("edgebroker_publishes_held_total", publishing.RateHeld, ("reason", "message_rate"));
        writer.Single("edgebroker_publish_rate_held_seconds_total", "counter", "Time publishers were held by Limits:PublishMessagesPerSecond.", publishing.RateHeldTime.TotalSeconds);
        return writer.ToString();
    }
}

namespace EdgeBroker.Server.Metrics;

using System.Globalization;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Storage;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format: broker counters, per-queue gauges, log sizes and the
/// recovery results of the last start (a corrupt range shows up here as well as in the Error log, R8).
/// </summary>
internal static class MetricsEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (BrokerAccessor accessor, TimeProvider time, Core.Clients.IClientRegistry clients, Hub.HubCounters hub, Limits.ConnectionLimiter limiter, Limits.MemoryMonitor memory, Core.Limits.PublishLimits publishing) =>
                Results.Text(Render(accessor, time, limiter) + ClientMetrics.Render(clients, hub) + PublishLimitMetrics.Render(accessor.Alarms, memory, publishing), PrometheusWriter.ContentType))
            .ExcludeFromDescription();

    internal static string Render(BrokerAccessor accessor, TimeProvider time, Limits.ConnectionLimiter? limiter = null)
    {
        var writer = new PrometheusWriter();
        limiter?.WriteMetrics(writer);
        var runtime = accessor.Runtime;
        writer.Single("edgebroker_up", "gauge", "1 while the broker is running, 0 while starting or stopping.", runtime is null ? 0 : 1);
        writer.Single("edgebroker_uptime_seconds", "gauge", "Seconds since the host started.", (time.GetUtcNow() - accessor.StartedAt).TotalSeconds);
        writer.Family("edgebroker_fsync_policy_info", "gauge", "The configured fsync policy (R13).");
        writer.Sample("edgebroker_fsync_policy_info", 1, ("policy", accessor.FsyncPolicy.ToString()));
        WriteFsyncLatency(writer, accessor.FsyncLatency);
        if (runtime is null)
        {
            return writer.ToString();
        }

        var counters = runtime.Broker.Counters;
        writer.Single("edgebroker_messages_in_total", "counter", "Messages published into the broker.", counters.MessagesIn);
        writer.Single("edgebroker_messages_out_total", "counter", "Messages delivered to consumers and subscribers.", counters.MessagesOut);
        writer.Single("edgebroker_bytes_in_total", "counter", "Payload bytes published into the broker.", counters.BytesIn);
        writer.Single("edgebroker_bytes_out_total", "counter", "Payload bytes delivered.", counters.BytesOut);
        writer.Single("edgebroker_messages_dropped_total", "counter", "Live deliveries dropped by a session overflow policy (never durable targets).", counters.MessagesDropped);

        writer.Single("edgebroker_disk_alarm", "gauge", "1 while free disk space is below Storage:MinFreeDiskBytes and durable publishes are refused.", runtime.Alarms?.DiskAlarm == true ? 1 : 0);
        WriteQueues(writer, runtime.Broker.Topology.Queues);
        WriteLogs(writer, runtime);
        StreamMetrics.Write(writer, runtime.Streams);
        return writer.ToString();
    }

    private static void WriteFsyncLatency(PrometheusWriter writer, FsyncLatencyHistogram histogram)
    {
        const string name = "edgebroker_fsync_duration_seconds";
        writer.Family(name, "histogram", "Duration of each fsync of a log segment (group commits and segment rolls).");
        var cumulative = histogram.CumulativeCounts();
        var bounds = FsyncLatencyHistogram.UpperBoundsSeconds;
        for (var i = 0; i < bounds.Count; i++)
        {
            writer.Sample(name + "_bucket", cumulative[i], ("le", bounds[i].ToString(CultureInfo.InvariantCulture)));
        }

        writer.Sample(name + "_bucket", cumulative[^1], ("le", "+Inf"));
        writer.Sample(name + "_sum", histogram.SumSeconds);
        writer.Sample(name + "_count", cumulative[^1]);
    }

    private static void WriteQueues(PrometheusWriter writer, IReadOnlyList<Core.Queues.QueueStats> queues)
    {
        void Gauge(string name, string type, string help, Func<Core.Queues.QueueStats, double> value)
        {
            writer.Family(name, type, help);
            foreach (var q in queues)
            {
                writer.Sample(name, value(q), ("queue", q.Name));
            }
        }

        Gauge("edgebroker_queue_ready_messages", "gauge", "Messages ready for delivery.", q => q.Ready);
        Gauge("edgebroker_queue_unacked_messages", "gauge", "Messages delivered and not yet acknowledged.", q => q.Unacked);
        Gauge("edgebroker_queue_consumers", "gauge", "Registered consumers.", q => q.Consumers);
        Gauge("edgebroker_queue_size_bytes", "gauge", "Bytes held by the queue on disk.", q => q.SizeBytes);
        Gauge("edgebroker_queue_published_total", "counter", "Messages accepted by the queue.", q => q.Published);
        Gauge("edgebroker_queue_delivered_total", "counter", "Deliveries made by the queue.", q => q.Delivered);
        Gauge("edgebroker_queue_acked_total", "counter", "Deliveries acknowledged.", q => q.Acked);
        Gauge("edgebroker_queue_redelivered_total", "counter", "Redeliveries.", q => q.Redelivered);
        Gauge("edgebroker_queue_dead_lettered_total", "counter", "Messages dead-lettered.", q => q.DeadLettered);
        Gauge("edgebroker_queue_dropped_total", "counter", "Messages dropped by the overflow policy.", q => q.Dropped);
        Gauge("edgebroker_queue_rejected_total", "counter", "Publishes refused because the queue was full (R12).", q => q.Rejected);
    }

    private static void WriteLogs(PrometheusWriter writer, BrokerRuntime runtime)
    {
        var logs = runtime.Logs;
        writer.Family("edgebroker_log_size_bytes", "gauge", "Bytes on disk per log.");
        foreach (var log in logs)
        {
            writer.Sample("edgebroker_log_size_bytes", log.SizeBytes, ("log", log.Name));
        }

        writer.Family("edgebroker_log_segments", "gauge", "Segment files per log.");
        foreach (var log in logs)
        {
            if (log.SegmentCount is { } segments)
            {
                writer.Sample("edgebroker_log_segments", segments, ("log", log.Name));
            }
        }

        writer.Family("edgebroker_log_read_only", "gauge", "1 when a log went read-only after a write or fsync error (R11).");
        foreach (var log in logs)
        {
            writer.Sample("edgebroker_log_read_only", log.IsReadOnly ? 1 : 0, ("log", log.Name));
        }

        var reports = runtime.RecoveryReports;
        writer.Family("edgebroker_recovery_clean_shutdown", "gauge", "1 when the log was closed cleanly before this start.");
        foreach (var r in reports)
        {
            writer.Sample("edgebroker_recovery_clean_shutdown", r.CleanShutdown ? 1 : 0, ("log", r.Directory));
        }

        writer.Family("edgebroker_recovery_bytes_truncated", "gauge", "Bytes of torn tail truncated at this start.");
        foreach (var r in reports)
        {
            writer.Sample("edgebroker_recovery_bytes_truncated", r.BytesTruncated, ("log", r.Directory));
        }

        writer.Family("edgebroker_recovery_indexes_rebuilt", "gauge", "Indexes rebuilt at this start.");
        foreach (var r in reports)
        {
            writer.Sample("edgebroker_recovery_indexes_rebuilt", r.IndexesRebuilt, ("log", r.Directory));
        }

        writer.Family("edgebroker_recovery_corrupt_ranges", "gauge", "Quarantined corrupt ranges found at this start (R8).");
        foreach (var r in reports)
        {
            writer.Sample("edgebroker_recovery_corrupt_ranges", r.CorruptRanges.Count, ("log", r.Directory));
        }
    }
}

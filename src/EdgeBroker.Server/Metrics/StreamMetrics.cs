namespace EdgeBroker.Server.Metrics;

using System.Globalization;
using EdgeBroker.Core.Streams;

/// <summary>Stream families of <c>/metrics</c>: per-partition offsets and sizes, per-stream counters, per-group lag.</summary>
internal static class StreamMetrics
{
    public static void Write(PrometheusWriter writer, StreamStore? streams)
    {
        if (streams is null)
        {
            return;
        }

        var stats = streams.All.Select(s => s.Stats).ToList();
        void Partition(string name, string help, Func<StreamPartitionStats, double> value)
        {
            writer.Family(name, "gauge", help);
            foreach (var s in stats)
            {
                foreach (var p in s.Partitions)
                {
                    writer.Sample(name, value(p), ("stream", s.Name), ("partition", p.Partition.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }

        Partition("edgebroker_stream_partition_start_offset", "First offset still served (retention and truncation move it).", p => p.StartOffset);
        Partition("edgebroker_stream_partition_end_offset", "Next offset to be written (readable end, durable under fsync=always).", p => p.EndOffset);
        Partition("edgebroker_stream_partition_size_bytes", "Bytes on disk per partition.", p => p.SizeBytes);
        Partition("edgebroker_stream_partition_segments", "Segment files per partition.", p => p.Segments);

        writer.Family("edgebroker_stream_appended_total", "counter", "Records appended since start.");
        foreach (var s in stats)
        {
            writer.Sample("edgebroker_stream_appended_total", s.Appended, ("stream", s.Name));
        }

        writer.Family("edgebroker_stream_append_failed_total", "counter", "Appends storage failed to make durable (never acknowledged).");
        foreach (var s in stats)
        {
            writer.Sample("edgebroker_stream_append_failed_total", s.Failed, ("stream", s.Name));
        }

        var groups = streams.AllGroups();
        writer.Family("edgebroker_stream_group_lag", "gauge", "Records between a group's committed offset and the partition end.");
        foreach (var (stream, group) in groups)
        {
            foreach (var p in group.Partitions)
            {
                writer.Sample("edgebroker_stream_group_lag", p.Lag, ("stream", stream), ("group", group.Group), ("partition", p.Partition.ToString(CultureInfo.InvariantCulture)));
            }
        }

        writer.Family("edgebroker_stream_group_members", "gauge", "Live members per consumer group.");
        foreach (var (stream, group) in groups)
        {
            writer.Sample("edgebroker_stream_group_members", group.Members.Count, ("stream", stream), ("group", group.Group));
        }
    }
}

namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Sessions;
using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Configuration;
using EdgeBroker.Storage;
using Microsoft.Extensions.Options;

/// <summary>
/// The one place that names concrete storage and routing types: opens the queue store, the retained store and
/// the topology store on the log engine under the data directory and builds the routing core over them.
/// Everything else in the host only sees <see cref="Core.IBroker"/> and <see cref="BrokerRuntime"/>.
/// <code>
///  &lt;data&gt;/queues/&lt;name&gt;/   LogQueueStore (queue.meta, messages/, acks/)
///  &lt;data&gt;/retained/        LogRetainedStore (compacted key-value log: topic → message)
///  &lt;data&gt;/topology/        KeyValueTopologyStore (compacted key-value log: exchanges, bindings, queues)
///  &lt;data&gt;/streams/         StreamStore (declarations, group offsets, one partitioned log per stream)
/// </code>
/// Thread-safety: stateless; <see cref="OpenAsync"/> is called once per host start.
/// </summary>
internal sealed class BrokerComposition : IBrokerRuntimeFactory
{
    private readonly EdgeBrokerOptions _options;

    /// <param name="options">The host options (configured streams); null = none.</param>
    public BrokerComposition(IOptions<EdgeBrokerOptions>? options = null) => _options = options?.Value ?? new EdgeBrokerOptions();

    public ValueTask<BrokerRuntime> OpenAsync(BrokerRuntimeContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.LogOptions;
        var owned = new List<IAsyncDisposable>();
        try
        {
            var queuesDirectory = Path.Combine(context.DataDirectory, "queues");
            var queues = LogQueueStore.Open(queuesDirectory, options, context.Time);
            owned.Add(queues);

            var retained = LogRetainedStore.Open(Path.Combine(context.DataDirectory, "retained"), options, context.Time);
            owned.Add(retained);

            var topology = KeyValueTopologyStore.Open(Path.Combine(context.DataDirectory, "topology"), options, out var topologyReport);
            owned.Add(topology);

            // Streams open before the broker so stored stream bindings resolve when it loads the topology.
            var streams = OpenStreams(context, options);
            owned.Add(streams);

            var sessions = LogSessionStore.Open(Path.Combine(context.DataDirectory, "sessions"), options);
            owned.Add(sessions);

            var broker = new Broker(_options.Topics.ToBrokerOptions(), queues, retained, context.Authorizer, context.Time, topology, streams, context.Alarms);
            streams.AttachTopology(broker.Topology);

            IReadOnlyList<RecoveryReport> reports = retained.RecoveryReport is { } retainedReport
                ? [.. queues.RecoveryReports, retainedReport, topologyReport, sessions.RecoveryReport, .. streams.RecoveryReports]
                : [.. queues.RecoveryReports, topologyReport, sessions.RecoveryReport, .. streams.RecoveryReports];
            var notes = queues.OpenNotes.Select(n => "queues: " + n).ToList();
            notes.AddRange(streams.OpenNotes.Select(n => "streams: " + n));
            if (topology.UnreadableEntries > 0)
            {
                notes.Add($"topology: {topology.UnreadableEntries} unreadable declarations kept on disk and ignored");
            }

            if (retained.UnreadableRecords > 0)
            {
                notes.Add($"retained: {retained.UnreadableRecords} unreadable records kept on disk and never served");
            }

            // Dispose order: the broker holds no resources of its own; the queues go first so no new dead letters
            // or deliveries start, then the retained store, then the topology store (R9 clean-shutdown markers).
            IReadOnlyList<IAsyncDisposable> disposeOrder = [queues, retained, streams, topology, sessions];
            var runtime = new BrokerRuntime(broker, reports, () => [.. Logs(queuesDirectory, queues, retained, topology), .. StreamLogs(streams)], disposeOrder) { Notes = notes, Streams = streams, Sessions = sessions, Alarms = broker.Alarms };
            return ValueTask.FromResult(runtime);
        }
        catch
        {
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                owned[i].DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }
    }

    private static List<LogStatus> Logs(string queuesDirectory, LogQueueStore queues, LogRetainedStore retained, KeyValueTopologyStore topology)
    {
        var logs = queues.All
            .Select(q => q.Stats)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new LogStatus("queues/" + s.Name, Path.Combine(queuesDirectory, s.Name), s.SizeBytes, null, s.IsReadOnly))
            .ToList();
        logs.Add(new LogStatus("retained", retained.Directory, retained.SizeBytes, null, retained.IsReadOnly));
        logs.Add(new LogStatus("topology", topology.Directory, topology.SizeBytes, null, topology.IsReadOnly));
        return logs;
    }

    private StreamStore OpenStreams(BrokerRuntimeContext context, LogOptions options)
    {
        try
        {
            return StreamStore.Open(Path.Combine(context.DataDirectory, "streams"), options, context.Time, StreamStoreOptionsFor(_options), _options.Streams.Select(s => s.Value.ToDeclaration(s.Key)));
        }
        catch (InvalidOperationException ex)
        {
            // A configured stream contradicts the stored one (partition count): stop with the reason, touch nothing.
            throw new BrokerStartupException($"The configured streams (EdgeBroker:Streams) were refused: {ex.Message}", ex);
        }
    }

    private static StreamStoreOptions StreamStoreOptionsFor(EdgeBrokerOptions options) => new()
    {
        Groups = new ConsumerGroupOptions { SessionTimeout = TimeSpan.FromMilliseconds(options.StreamGroups.SessionTimeoutMs) },
    };

    private static IEnumerable<LogStatus> StreamLogs(StreamStore streams) =>
        streams.All.SelectMany(s => s.Stats.Partitions.Select(p => new LogStatus(
            $"streams/{s.StreamName}/{p.Partition}", Path.Combine(streams.RootDirectory, s.StreamName, p.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture)), p.SizeBytes, p.Segments, p.IsReadOnly)));
}

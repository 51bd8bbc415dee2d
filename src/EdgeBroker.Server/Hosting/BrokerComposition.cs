namespace EdgeBroker.Server.Hosting;

using EdgeBroker.Core.Broker;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Retained;
using EdgeBroker.Core.Routing;
using EdgeBroker.Core.Security;
using EdgeBroker.Core.Sessions;
using EdgeBroker.Storage;

/// <summary>
/// The one place that names concrete storage and routing types: opens the queue store, the retained store and
/// the topology store on the log engine under the data directory and builds the routing core over them.
/// Everything else in the host only sees <see cref="Core.IBroker"/> and <see cref="BrokerRuntime"/>.
/// <code>
///  &lt;data&gt;/queues/&lt;name&gt;/   LogQueueStore (queue.meta, messages/, acks/)
///  &lt;data&gt;/retained/        LogRetainedStore (compacted key-value log: topic → message)
///  &lt;data&gt;/topology/        KeyValueTopologyStore (compacted key-value log: exchanges, bindings, queues)
/// </code>
/// Thread-safety: stateless; <see cref="OpenAsync"/> is called once per host start.
/// </summary>
internal sealed class BrokerComposition : IBrokerRuntimeFactory
{
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

            var sessions = LogSessionStore.Open(Path.Combine(context.DataDirectory, "sessions"), options);
            owned.Add(sessions);

            var broker = new Broker(new BrokerOptions(), queues, retained, AllowAllAuthorizer.Instance, context.Time, topology);

            IReadOnlyList<RecoveryReport> reports = [.. queues.RecoveryReports, topologyReport, sessions.RecoveryReport];
            var notes = queues.OpenNotes.Select(n => "queues: " + n).ToList();
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
            IReadOnlyList<IAsyncDisposable> disposeOrder = [queues, retained, topology, sessions];
            var runtime = new BrokerRuntime(broker, reports, () => Logs(queuesDirectory, queues, topology), disposeOrder) { Notes = notes, Sessions = sessions };
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

    private static List<LogStatus> Logs(string queuesDirectory, LogQueueStore queues, KeyValueTopologyStore topology)
    {
        var logs = queues.All
            .Select(q => q.Stats)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new LogStatus("queues/" + s.Name, Path.Combine(queuesDirectory, s.Name), s.SizeBytes, null, false))
            .ToList();
        logs.Add(new LogStatus("topology", topology.Directory, topology.SizeBytes, null, false));
        return logs;
    }
}

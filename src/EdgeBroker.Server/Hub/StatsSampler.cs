namespace EdgeBroker.Server.Hub;

using EdgeBroker.Core.Clients;
using EdgeBroker.Core.Messages;
using EdgeBroker.Server.Hosting;
using EdgeBroker.Server.Hub.Contracts;

/// <summary>
/// Builds the <c>stats</c> event for every watcher from one shared sample: rates are the counter deltas over the
/// time since the previous sample, and a sample younger than <see cref="MinInterval"/> is reused, so any number of
/// dashboards cost one snapshot per second. Thread-safety: one lock around the sample swap.
/// </summary>
internal sealed class StatsSampler(BrokerAccessor accessor, IClientRegistry clients, TimeProvider time)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(900);

    private readonly Lock _gate = new();
    private Sample? _last;
    private HubStats? _lastStats;

    /// <summary>The current stats, or null while the broker starts or stops.</summary>
    public HubStats? Current()
    {
        if (accessor.Runtime is not { } runtime)
        {
            return null;
        }

        lock (_gate)
        {
            var timestamp = time.GetTimestamp();
            if (_lastStats is not null && _last is { } recent && time.GetElapsedTime(recent.Timestamp, timestamp) < MinInterval)
            {
                return _lastStats;
            }

            var counters = runtime.Broker.Counters;
            var now = new Sample(timestamp, counters.MessagesIn, counters.MessagesOut, counters.BytesIn, counters.BytesOut);
            var previous = _last;
            var seconds = previous is null ? 0 : time.GetElapsedTime(previous.Timestamp, timestamp).TotalSeconds;
            double Rate(long current, long before) => seconds > 0 ? Math.Max(0, current - before) / seconds : 0;

            _lastStats = new HubStats(
                null,
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                (time.GetUtcNow() - accessor.StartedAt).TotalSeconds,
                new HubConnectionCounts(clients.Count(ProtocolKind.Mqtt), clients.Count(ProtocolKind.Stomp), clients.Count(ProtocolKind.SignalR)),
                now.MessagesIn,
                now.MessagesOut,
                now.BytesIn,
                now.BytesOut,
                Rate(now.MessagesIn, previous?.MessagesIn ?? 0),
                Rate(now.MessagesOut, previous?.MessagesOut ?? 0),
                Rate(now.BytesIn, previous?.BytesIn ?? 0),
                Rate(now.BytesOut, previous?.BytesOut ?? 0),
                runtime.Logs.Sum(l => l.SizeBytes),
                [.. runtime.Broker.Topology.Queues.Select(q => new HubQueueStats(q.Name, q.Ready, q.Unacked, q.Consumers, q.DeadLettered))],
                Streams(runtime));
            _last = now;
            return _lastStats;
        }
    }

    private static IReadOnlyList<HubStreamStats> Streams(BrokerRuntime runtime)
    {
        if (runtime.Streams is not { } store)
        {
            return [];
        }

        var groups = store.AllGroups().ToLookup(g => g.Stream, g => new HubGroupLag(g.Group.Group, g.Group.TotalLag), StringComparer.Ordinal);
        return [.. store.All.Select(s =>
        {
            var stats = s.Stats;
            return new HubStreamStats(stats.Name, stats.Partitions.Count, [.. stats.Partitions.Select(p => p.EndOffset)], stats.SizeBytes, [.. groups[stats.Name]]);
        })];
    }

    private sealed record Sample(long Timestamp, long MessagesIn, long MessagesOut, long BytesIn, long BytesOut);
}

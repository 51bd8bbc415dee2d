namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>The <c>stats</c> event (one per second per watch). Counters are cumulative; rates are per second over the last sample interval.</summary>
public sealed record HubStats(
    string? SubscriptionId,
    long Time,
    double UptimeSeconds,
    HubConnectionCounts Connections,
    long MessagesIn,
    long MessagesOut,
    long BytesIn,
    long BytesOut,
    double MessagesInPerSec,
    double MessagesOutPerSec,
    double BytesInPerSec,
    double BytesOutPerSec,
    long StorageBytes,
    IReadOnlyList<HubQueueStats> Queues,
    IReadOnlyList<HubStreamStats> Streams);

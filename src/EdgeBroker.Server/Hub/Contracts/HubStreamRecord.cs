namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>One stream record on the wire: the result items of <c>readStream</c> and the <c>streamRecord</c> event (with <see cref="SubscriptionId"/>).</summary>
public sealed record HubStreamRecord(
    string? SubscriptionId,
    string Stream,
    int Partition,
    long Offset,
    long Timestamp,
    string Topic,
    string? Key,
    string Payload,
    string Encoding,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers);

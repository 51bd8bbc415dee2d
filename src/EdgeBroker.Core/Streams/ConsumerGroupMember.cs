namespace EdgeBroker.Core.Streams;

/// <summary>
/// A handle on one member of a <see cref="ConsumerGroup"/>, for adapters that keep a connection per member
/// (STOMP, MQTT, SignalR). Every call counts as a heartbeat. Thread-safety: as the group (thread-safe).
/// </summary>
public sealed class ConsumerGroupMember
{
    internal ConsumerGroupMember(ConsumerGroup group, string memberId)
    {
        Group = group;
        MemberId = memberId;
    }

    public ConsumerGroup Group { get; }

    public string MemberId { get; }

    /// <summary>The partitions this member owns right now.</summary>
    public IReadOnlyList<int> Assignment => Group.AssignmentOf(MemberId);

    public Task<GroupFetchResult> FetchAsync(int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default) =>
        Group.FetchAsync(MemberId, maxRecords, wait, cancellationToken);

    public ValueTask AckAsync(StreamRecord record, CancellationToken cancellationToken = default) => Group.AckAsync(MemberId, record, cancellationToken);

    public ValueTask CommitAsync(int partition, long nextOffset, CancellationToken cancellationToken = default) =>
        Group.CommitAsync(MemberId, partition, nextOffset, cancellationToken);

    public bool Heartbeat() => Group.Heartbeat(MemberId);

    /// <summary>Leaves the group (connection closed); its partitions are rebalanced at once.</summary>
    public bool Leave() => Group.Leave(MemberId);
}

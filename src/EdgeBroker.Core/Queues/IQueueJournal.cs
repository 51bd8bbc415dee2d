namespace EdgeBroker.Core.Queues;

/// <summary>
/// Where a <see cref="LogQueue"/> keeps its messages and settlements. The embedded implementation is
/// <see cref="LogQueueJournal"/> (two logs); tests use <see cref="MemoryQueueJournal"/>. Implementations are thread-safe.
/// </summary>
internal interface IQueueJournal : IAsyncDisposable
{
    /// <summary>A lower bound for the id the next appended message gets.</summary>
    long NextMessageId { get; }

    long SizeBytes { get; }

    /// <summary>True once a write or fsync error stopped the journal (R11).</summary>
    bool IsReadOnly { get; }

    /// <summary>
    /// Completes with the message id once the record is durable under the fsync policy (R1). The record's bytes
    /// must be copied before this returns: the caller reuses its (pooled) buffer at once.
    /// </summary>
    ValueTask<long> AppendMessageAsync(ReadOnlyMemory<byte> record, long enqueuedAtMs, CancellationToken cancellationToken);

    /// <summary>Completes once the settlement records are written (they may be synced lazily, R5).</summary>
    ValueTask AppendSettlementsAsync(IReadOnlyList<Settlement> settlements, CancellationToken cancellationToken);

    /// <summary>
    /// Replays settlements, then hands every unsettled message to <paramref name="onLive"/> in id order, one
    /// read chunk at a time (a long backlog is never all in memory at once). Called once, before any append.
    /// </summary>
    JournalRecovery Recover(Action<StoredMessage> onLive);

    /// <summary>The stored messages with ids in [<paramref name="fromId"/>, <paramref name="toId"/>]; unreadable records are left out.</summary>
    IReadOnlyList<StoredMessage> ReadMessages(long fromId, long toId);

    /// <summary>Frees storage of messages below <paramref name="firstLiveMessageId"/> (all settled) and of settlements that only concern them.</summary>
    void Truncate(long firstLiveMessageId);

    /// <summary>Closes the journal and deletes its data.</summary>
    ValueTask DeleteAsync();
}

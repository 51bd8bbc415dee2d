namespace EdgeBroker.Core.Queues;

/// <summary>Why a message left a queue; written to the acks log. Values reach disk; keep them stable.</summary>
internal enum SettlementKind : byte
{
    Acked = 1,
    DeadLettered = 2,
    /// <summary>Discarded: no dead-letter queue, or the dead-letter queue refused it.</summary>
    Dropped = 3,
    Purged = 4,
}

/// <summary>One message leaving a queue.</summary>
internal readonly record struct Settlement(long MessageId, SettlementKind Kind);

/// <summary>A message record recovered from the journal, not settled.</summary>
internal readonly record struct StoredMessage(long Id, long EnqueuedAtMs, ReadOnlyMemory<byte> Value);

/// <summary>What opening a queue journal found (the live messages went to the caller's callback).</summary>
internal sealed record JournalRecovery(long LiveMessages, long SettledRecords, long UnreadableRecords);

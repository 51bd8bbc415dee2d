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

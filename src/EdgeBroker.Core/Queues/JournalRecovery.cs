namespace EdgeBroker.Core.Queues;

/// <summary>What opening a queue journal found (the live messages went to the caller's callback).</summary>
internal sealed record JournalRecovery(long LiveMessages, long SettledRecords, long UnreadableRecords);

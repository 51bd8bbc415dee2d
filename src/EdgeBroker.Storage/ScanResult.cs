namespace EdgeBroker.Storage;

/// <summary>What a segment scan found. <see cref="TailStart"/> is -1 when the file ends on a batch boundary.</summary>
internal sealed record ScanResult(long ValidEnd, long NextOffset, int Batches, IReadOnlyList<Quarantine> Quarantines, long TailStart);

namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>One stream in the <c>stats</c> event: end offset per partition, bytes on disk and consumer-group lag.</summary>
public sealed record HubStreamStats(string Name, int Partitions, IReadOnlyList<long> EndOffsets, long SizeBytes, IReadOnlyList<HubGroupLag> Groups);

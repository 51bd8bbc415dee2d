namespace EdgeBroker.Server.Http.Contracts;

/// <summary>
/// A partition fetch: the records, the offset to ask for next, and the partition's readable range at the time
/// (<see cref="StartOffset"/> moves with retention and truncation; <see cref="EndOffset"/> is the next offset to be written).
/// </summary>
public sealed record StreamFetchResponse(int Partition, long StartOffset, long EndOffset, long NextOffset, IReadOnlyList<StreamRecordResponse> Records);

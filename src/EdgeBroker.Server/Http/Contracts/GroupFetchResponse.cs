namespace EdgeBroker.Server.Http.Contracts;

/// <summary>A group fetch: who the member is, what it owns at this generation, and the records (owned partitions only).</summary>
public sealed record GroupFetchResponse(string MemberId, int Generation, IReadOnlyList<int> Assignment, IReadOnlyList<StreamRecordResponse> Records);

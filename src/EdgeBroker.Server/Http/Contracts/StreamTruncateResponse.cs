namespace EdgeBroker.Server.Http.Contracts;

/// <summary>The first offset still served in each partition after a truncation.</summary>
public sealed record StreamTruncateResponse(string Stream, IReadOnlyList<long> StartOffsets);

namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>One consumer group of a stream and its total lag (records).</summary>
public sealed record HubGroupLag(string Name, long Lag);

namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>One queue in the <c>stats</c> event.</summary>
public sealed record HubQueueStats(string Name, long Ready, long Unacked, int Consumers, long DeadLettered);

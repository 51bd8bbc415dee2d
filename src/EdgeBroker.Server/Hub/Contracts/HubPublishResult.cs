namespace EdgeBroker.Server.Hub.Contracts;

/// <summary>The answer of <c>publish</c>: the core <c>PublishOutcome</c> name (Accepted, NoMatchingSubscribers, Rejected, Failed, InvalidTopic).</summary>
public sealed record HubPublishResult(string Outcome, string? Reason);

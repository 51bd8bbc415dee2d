namespace EdgeBroker.Core.Routing;

/// <summary>How a publish ended. Adapters map this onto PUBACK reason codes, RECEIPT/ERROR and HTTP status.</summary>
public enum PublishOutcome
{
    /// <summary>Every durable target accepted it (may have had no target at all).</summary>
    Accepted = 0,
    /// <summary>Accepted, but nothing matched (MQTT 5 reason 0x10 "No matching subscribers").</summary>
    NoMatchingSubscribers = 1,
    /// <summary>A durable target refused it (quota, max length reject-publish). Nothing to acknowledge.</summary>
    Rejected = 2,
    /// <summary>A durable target failed to store it. Nothing to acknowledge.</summary>
    Failed = 3,
    /// <summary>The authorization hook denied it.</summary>
    NotAuthorized = 4,
    /// <summary>The topic or exchange is invalid or unknown.</summary>
    InvalidTopic = 5,
}

public readonly record struct PublishResult(PublishOutcome Outcome, int DurableTargets, int LiveDeliveries, string? Reason = null)
{
    /// <summary>True when the publisher may be acknowledged (PUBACK success, RECEIPT, HTTP 2xx).</summary>
    public bool IsAcknowledged => Outcome is PublishOutcome.Accepted or PublishOutcome.NoMatchingSubscribers;
}

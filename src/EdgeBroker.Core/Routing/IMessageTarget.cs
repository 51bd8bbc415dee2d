namespace EdgeBroker.Core.Routing;

using EdgeBroker.Core.Messages;

/// <summary>
/// Where a binding delivers: a queue or a stream (live subscriptions take the faster trie path).
/// A durable target completes <see cref="AcceptAsync"/> only once the message is durable (R1),
/// and the publish is acknowledged only after every durable target completed (R3).
/// </summary>
public interface IMessageTarget
{
    /// <summary>Display name, e.g. <c>queue:orders</c> or <c>stream:telemetry</c>.</summary>
    string Name { get; }

    bool IsDurable { get; }

    ValueTask<TargetResult> AcceptAsync(Message message, CancellationToken cancellationToken);
}

/// <summary>Values reach the wire as reason codes through each adapter's mapper; keep them stable.</summary>
public enum TargetOutcome
{
    Accepted = 0,
    /// <summary>Over a limit (max length with reject-publish, quota): R12, answer negatively.</summary>
    Rejected = 1,
    /// <summary>Storage failed (write/fsync error, read-only log, disk alarm): never acknowledged.</summary>
    Failed = 2,
}

public readonly record struct TargetResult(TargetOutcome Outcome, string? Reason = null)
{
    public static TargetResult Accepted => new(TargetOutcome.Accepted);

    public static TargetResult Rejected(string reason) => new(TargetOutcome.Rejected, reason);

    public static TargetResult Failed(string reason) => new(TargetOutcome.Failed, reason);
}

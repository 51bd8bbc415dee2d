namespace EdgeBroker.Core.Streams;

/// <summary>
/// A group operation by a member that is unknown (left, or expired after a missed heartbeat: rejoin) or that
/// does not own the partition it names (the partition moved in a rebalance; its new owner resumes from the
/// last commit).
/// </summary>
public sealed class GroupMembershipException : InvalidOperationException
{
    public GroupMembershipException()
    {
    }

    public GroupMembershipException(string message)
        : base(message)
    {
    }

    public GroupMembershipException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

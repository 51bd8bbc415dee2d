namespace EdgeBroker.Core.Streams;

/// <summary>A live member of a group: its partitions, delivery mode and last heartbeat (Unix ms).</summary>
public sealed record GroupMemberInfo(string MemberId, IReadOnlyList<int> Partitions, GroupDeliveryMode Mode, long LastHeartbeatMs);

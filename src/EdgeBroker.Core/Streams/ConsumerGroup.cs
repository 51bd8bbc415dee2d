namespace EdgeBroker.Core.Streams;

using System.Globalization;

/// <summary>
/// One consumer group on one stream: members share the partitions, each partition owned by exactly one member
/// at a time. Split by concern: this file holds membership and rebalancing, ConsumerGroup.Fetch.cs reading and
/// committing.
/// </summary>
/// <remarks>
/// Design note. Assignment is a pure function of the member list in join order: partition p belongs to member
/// p mod n (round robin, so counts differ by at most one). Every join, leave or expiry recomputes it and bumps
/// <see cref="Generation"/>. A member keeps its read position in partitions it still owns; a partition that
/// moves starts at the group's committed offset (or the joining member's start position when nothing was
/// committed), so after a failure at-least-once members redeliver what was not committed and skip nothing.
/// Records are handed out only for partitions the member owns when the fetch returns, and commits are accepted
/// only from the owner, so two members never consume one partition at once.
/// Heartbeats: any call by a member (fetch, commit, heartbeat) refreshes it; <see cref="Sweep"/> (called by every
/// group operation and by the store's maintenance timer) removes members silent for the session timeout, using
/// the injected <see cref="TimeProvider"/>.
/// Thread-safety: one lock guards membership and positions; reads and durable commits run outside it.
/// </remarks>
public sealed partial class ConsumerGroup
{
    private readonly Lock _gate = new();
    private readonly StreamLog _stream;
    private readonly GroupOffsetStore _offsets;
    private readonly TimeProvider _time;
    private readonly ConsumerGroupOptions _options;
    private readonly List<MemberState> _members = [];
    private readonly string?[] _owners;
    private long _nextMemberId;

    internal ConsumerGroup(StreamLog stream, string group, GroupOffsetStore offsets, TimeProvider time, ConsumerGroupOptions options)
    {
        _stream = stream;
        Name = group;
        _offsets = offsets;
        _time = time;
        _options = options;
        _owners = new string?[stream.PartitionCount];
    }

    public string Name { get; }

    public string StreamName => _stream.StreamName;

    /// <summary>A member silent this long is removed; push adapters heartbeat well within it.</summary>
    public TimeSpan SessionTimeout => _options.SessionTimeout;

    /// <summary>Bumped by every rebalance.</summary>
    public int Generation { get; private set; }

    public ConsumerGroupInfo Info
    {
        get
        {
            Sweep();
            lock (_gate)
            {
                var members = _members.Select(m => new GroupMemberInfo(m.Id, [.. m.Positions.Keys.Order()], m.Mode, m.LastHeartbeatMs)).ToList();
                var partitions = new GroupPartitionInfo[_owners.Length];
                for (var p = 0; p < partitions.Length; p++)
                {
                    partitions[p] = new GroupPartitionInfo(p, _owners[p], Committed(p), _stream.StartOffset(p), _stream.EndOffset(p));
                }

                return new ConsumerGroupInfo(StreamName, Name, Generation, members, partitions);
            }
        }
    }

    /// <summary>The committed offset of <paramref name="partition"/> (the next one the group reads), or null.</summary>
    public long? Committed(int partition) => _offsets.Get(StreamName, Name, partition);

    /// <summary>
    /// Joins (or refreshes, when <paramref name="memberId"/> is already a member) and rebalances. A null id gets a
    /// generated one. <paramref name="start"/> applies to partitions the group never committed.
    /// <paramref name="onRebalance"/> (optional, for push adapters) is called after each later rebalance, outside the lock.
    /// </summary>
    public ConsumerGroupMember Join(string? memberId, GroupDeliveryMode mode, StreamPosition start, Action<ConsumerGroupMember>? onRebalance = null)
    {
        if (memberId is not null && StreamNames.Check(memberId) is { } reason)
        {
            throw new ArgumentException($"Invalid member id '{memberId}': {reason.Replace("stream name", "member id", StringComparison.Ordinal)}.", nameof(memberId));
        }

        Sweep();
        List<MemberState> notify;
        MemberState member;
        lock (_gate)
        {
            var existing = memberId is null ? null : _members.Find(m => string.Equals(m.Id, memberId, StringComparison.Ordinal));
            if (existing is not null)
            {
                existing.LastHeartbeatMs = NowMs();
                existing.Mode = mode;
                return existing.Handle;
            }

            var id = memberId ?? $"m{Interlocked.Increment(ref _nextMemberId).ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}";
            member = new MemberState(id, mode, start, NowMs(), onRebalance);
            member.Handle = new ConsumerGroupMember(this, id);
            _members.Add(member);
            notify = RebalanceLocked(except: member);
        }

        Notify(notify);
        return member.Handle;
    }

    /// <summary>Leaves the group; its partitions go to the others at once. False when it was not a member.</summary>
    public bool Leave(string memberId)
    {
        List<MemberState> notify;
        lock (_gate)
        {
            var index = _members.FindIndex(m => string.Equals(m.Id, memberId, StringComparison.Ordinal));
            if (index < 0)
            {
                return false;
            }

            _members.RemoveAt(index);
            notify = RebalanceLocked(except: null);
        }

        Notify(notify);
        return true;
    }

    /// <summary>Refreshes the member's session. False when it is unknown (left or expired): it must join again.</summary>
    public bool Heartbeat(string memberId)
    {
        Sweep();
        lock (_gate)
        {
            var member = _members.Find(m => string.Equals(m.Id, memberId, StringComparison.Ordinal));
            if (member is null)
            {
                return false;
            }

            member.LastHeartbeatMs = NowMs();
            return true;
        }
    }

    /// <summary>The partitions <paramref name="memberId"/> owns now (empty when unknown).</summary>
    public IReadOnlyList<int> AssignmentOf(string memberId)
    {
        lock (_gate)
        {
            return _members.Find(m => string.Equals(m.Id, memberId, StringComparison.Ordinal)) is { } member ? [.. member.Positions.Keys.Order()] : [];
        }
    }

    /// <summary>Removes members whose session timed out and rebalances; returns how many expired.</summary>
    public int Sweep()
    {
        List<MemberState> notify;
        int expired;
        lock (_gate)
        {
            var cutoff = NowMs() - (long)_options.SessionTimeout.TotalMilliseconds;
            expired = _members.RemoveAll(m => m.LastHeartbeatMs < cutoff);
            if (expired == 0)
            {
                return 0;
            }

            notify = RebalanceLocked(except: null);
        }

        Notify(notify);
        return expired;
    }

    internal bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _members.Count == 0;
            }
        }
    }

    /// <summary>Recomputes ownership; returns members whose assignment changed (to notify outside the lock).</summary>
    private List<MemberState> RebalanceLocked(MemberState? except)
    {
        Generation++;
        var changed = new List<MemberState>();
        var wanted = new Dictionary<MemberState, List<int>>();
        foreach (var member in _members)
        {
            wanted[member] = [];
        }

        for (var p = 0; p < _owners.Length; p++)
        {
            if (_members.Count == 0)
            {
                _owners[p] = null;
                continue;
            }

            var owner = _members[p % _members.Count];
            wanted[owner].Add(p);
            _owners[p] = owner.Id;
        }

        foreach (var (member, partitions) in wanted)
        {
            var before = member.Positions.Keys.ToHashSet();
            var kept = new Dictionary<int, long>();
            foreach (var p in partitions)
            {
                kept[p] = member.Positions.TryGetValue(p, out var position) ? position : InitialPosition(p, member.Start);
            }

            member.Positions = kept;
            if (!before.SetEquals(partitions) && !ReferenceEquals(member, except))
            {
                changed.Add(member);
            }
        }

        return changed;
    }

    private long InitialPosition(int partition, StreamPosition start)
    {
        if (Committed(partition) is { } committed)
        {
            // R7: a commit past the end (possible only after a power loss under fsync=never/interval) is not clamped
            // silently by readers: the group resumes at the end, where the next new record will be written.
            return Math.Clamp(committed, _stream.StartOffset(partition), _stream.EndOffset(partition));
        }

        return start.Kind == StreamPositionKind.Offset && start.Value > _stream.EndOffset(partition)
            ? _stream.EndOffset(partition)
            : _stream.Resolve(partition, start);
    }

    private static void Notify(List<MemberState> members)
    {
        foreach (var member in members)
        {
            member.OnRebalance?.Invoke(member.Handle);
        }
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private MemberState? FindLocked(string memberId) => _members.Find(m => string.Equals(m.Id, memberId, StringComparison.Ordinal));

    private sealed class MemberState(string id, GroupDeliveryMode mode, StreamPosition start, long now, Action<ConsumerGroupMember>? onRebalance)
    {
        public string Id { get; } = id;

        public GroupDeliveryMode Mode { get; set; } = mode;

        public StreamPosition Start { get; } = start;

        public long LastHeartbeatMs { get; set; } = now;

        public Action<ConsumerGroupMember>? OnRebalance { get; } = onRebalance;

        /// <summary>Owned partitions → next offset to hand out.</summary>
        public Dictionary<int, long> Positions { get; set; } = [];

        /// <summary>Rotates the first partition read, so one busy partition cannot starve the others.</summary>
        public int NextPartitionCursor { get; set; }

        public ConsumerGroupMember Handle { get; set; } = null!;
    }
}

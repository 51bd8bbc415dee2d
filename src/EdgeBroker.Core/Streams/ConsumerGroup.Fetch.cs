namespace EdgeBroker.Core.Streams;

/// <summary>Reading and committing: records only from owned partitions, commits only by the owner, durable before confirmed (R5).</summary>
public sealed partial class ConsumerGroup
{
    /// <summary>
    /// Up to <paramref name="maxRecords"/> records from the member's partitions; waits up to <paramref name="wait"/>
    /// for the first when none is readable (long poll). At-most-once members have the offsets committed durably
    /// before the records are returned.
    /// </summary>
    /// <exception cref="GroupMembershipException">Unknown member (left or expired): join again.</exception>
    public async Task<GroupFetchResult> FetchAsync(string memberId, int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        var result = await TryFetchAsync(memberId, maxRecords, cancellationToken).ConfigureAwait(false);
        if (result.Records.Count > 0 || wait <= TimeSpan.Zero)
        {
            return result;
        }

        var offsets = WaitOffsets(memberId);
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(wait);
            try
            {
                await _stream.WaitForAnyAsync(offsets, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return await TryFetchAsync(memberId, maxRecords, cancellationToken).ConfigureAwait(false);
            }
        }

        return await TryFetchAsync(memberId, maxRecords, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Commits <paramref name="nextOffset"/> (the next offset the group will read) for <paramref name="partition"/>;
    /// completes once durable (R5).
    /// </summary>
    /// <exception cref="GroupMembershipException">Unknown member, or the partition is not (or no longer) its own.</exception>
    /// <exception cref="StreamOffsetException">The offset is beyond the end of the partition (R7).</exception>
    public async ValueTask CommitAsync(string memberId, int partition, long nextOffset, CancellationToken cancellationToken = default)
    {
        Sweep();
        lock (_gate)
        {
            var member = FindLocked(memberId) ?? throw UnknownMember(memberId);
            member.LastHeartbeatMs = NowMs();
            if (!member.Positions.ContainsKey(partition))
            {
                throw new GroupMembershipException($"member '{memberId}' of group '{Name}' does not own partition {partition} of stream '{StreamName}' (generation {Generation}); fetch again to see its assignment");
            }
        }

        var end = _stream.EndOffset(partition);
        if (nextOffset < 0 || nextOffset > end)
        {
            throw new StreamOffsetException($"cannot commit offset {nextOffset} for partition {partition} of stream '{StreamName}': it must be between 0 and the end ({end})");
        }

        await _offsets.CommitAsync(StreamName, Name, partition, nextOffset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Acknowledges one record: commits its offset + 1 (at-least-once).</summary>
    public ValueTask AckAsync(string memberId, StreamRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return CommitAsync(memberId, record.Partition, record.Offset + 1, cancellationToken);
    }

    private async Task<GroupFetchResult> TryFetchAsync(string memberId, int maxRecords, CancellationToken cancellationToken)
    {
        Sweep();
        int generation;
        GroupDeliveryMode mode;
        List<(int Partition, long Offset)> plan;
        lock (_gate)
        {
            var member = FindLocked(memberId) ?? throw UnknownMember(memberId);
            member.LastHeartbeatMs = NowMs();
            generation = Generation;
            mode = member.Mode;
            var owned = member.Positions.Keys.Order().ToList();
            plan = new List<(int, long)>(owned.Count);
            for (var i = 0; i < owned.Count; i++)
            {
                var p = owned[(i + member.NextPartitionCursor) % owned.Count];
                plan.Add((p, member.Positions[p]));
            }

            member.NextPartitionCursor++;
        }

        var records = new List<StreamRecord>();
        foreach (var (partition, offset) in plan)
        {
            if (records.Count >= maxRecords)
            {
                break;
            }

            records.AddRange(_stream.Read(partition, offset, maxRecords - records.Count));
        }

        // Keep only records of partitions still owned at the same position (a rebalance may have raced the read).
        var accepted = new List<StreamRecord>(records.Count);
        IReadOnlyList<int> assignment;
        lock (_gate)
        {
            var member = FindLocked(memberId) ?? throw UnknownMember(memberId);
            foreach (var group in records.GroupBy(r => r.Partition))
            {
                var planned = plan.Find(x => x.Partition == group.Key).Offset;
                if (member.Positions.TryGetValue(group.Key, out var position) && position == planned)
                {
                    member.Positions[group.Key] = group.Last().Offset + 1;
                    accepted.AddRange(group);
                }
            }

            assignment = [.. member.Positions.Keys.Order()];
            generation = Math.Max(generation, Generation);
        }

        if (mode == GroupDeliveryMode.AtMostOnce)
        {
            // Commit on delivery: durable before the records leave, so a crash can lose them but never repeat them.
            foreach (var group in accepted.GroupBy(r => r.Partition))
            {
                await _offsets.CommitAsync(StreamName, Name, group.Key, group.Last().Offset + 1, cancellationToken).ConfigureAwait(false);
            }
        }

        return new GroupFetchResult(memberId, generation, assignment, accepted);
    }

    private long[] WaitOffsets(string memberId)
    {
        var offsets = new long[_stream.PartitionCount];
        Array.Fill(offsets, -1);
        lock (_gate)
        {
            if (FindLocked(memberId) is { } member)
            {
                foreach (var (p, position) in member.Positions)
                {
                    offsets[p] = position;
                }
            }
        }

        return offsets;
    }

    private GroupMembershipException UnknownMember(string memberId) =>
        new($"'{memberId}' is not a member of group '{Name}' on stream '{StreamName}' (it left or missed its heartbeat for {_options.SessionTimeout.TotalSeconds:0.#} s); join again");
}

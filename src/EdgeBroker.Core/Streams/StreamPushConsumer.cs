namespace EdgeBroker.Core.Streams;

/// <summary>
/// Pushes a stream to one protocol subscription (STOMP <c>/stream/</c>, MQTT <c>$stream/</c>): alone (every
/// partition from a start position) or as a member of a consumer group (only the partitions it owns), replaying
/// history and then following live, with at most <c>prefetch</c> records unsettled.
/// </summary>
/// <remarks>
/// <code>
///  loop: window free? ──no──► wait for a settle (heartbeat the group meanwhile)
///          │yes
///          ▼
///        fetch ≤ free records (group: member.FetchAsync long poll, woken by rebalances;
///                              alone: one reader per partition, WaitForAnyAsync)
///          ▼
///        each record gets the next sequence number (the adapter's ack id) → deliver(record, seq)
/// </code>
/// Settling: the adapter calls <see cref="SettleAsync"/> when a record was acked (at-least-once) or written
/// (at-most-once). Sequences live in a ring of <c>prefetch</c> slots; the window start advances over the settled
/// prefix only, so a partition's commit (its offset + 1) never passes a record of that partition that was not
/// settled: at-least-once members commit after the ack and skip nothing. Records of partitions lost in a
/// rebalance are voided (their new owner resumes at the committed offset and redelivers them). Commits are
/// serialized and monotonic per partition, durable before <see cref="SettleAsync"/> completes (R5).
/// Records the <c>filter</c> rejects are settled at once without delivery.
/// Thread-safety: <see cref="SettleAsync"/> and <see cref="Close"/> may be called from any thread; the
/// deliver callback runs on the consumer's own loop and must not block.
/// </remarks>
public sealed class StreamPushConsumer : IDisposable
{
    private const byte Pending = 0;
    private const byte Settled = 1;
    private const byte Void = 2;

    private readonly StreamLog _stream;
    private readonly ConsumerGroup? _group;
    private readonly StreamPosition _start;
    private readonly Func<StreamRecord, bool>? _filter;
    private readonly Func<StreamRecord, long, bool> _deliver;
    private readonly Lock _gate = new();
    private readonly int[] _partitions;
    private readonly long[] _offsets;
    private readonly byte[] _states;
    private readonly long[] _pendingCommit;
    private readonly long[] _committed;
    private readonly SemaphoreSlim _commitLock = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly StreamPartitionReader[]? _readers;
    private readonly TimeSpan _pollInterval;
    private CancellationTokenSource _rebalance = new();
    private ConsumerGroupMember? _member;
    private long _baseSequence = 1;
    private long _nextSequence = 1;
    private int _cursor;
    private bool _closed;
    private Task? _loop;

    /// <summary>
    /// Opens the consumer (joins the group, or positions one reader per partition); <see cref="Start"/> begins delivery.
    /// </summary>
    /// <param name="stream">The stream read.</param>
    /// <param name="group">The consumer group joined, or null to read every partition alone (nothing is committed).</param>
    /// <param name="start">Where to start: partitions the group never committed, or every partition when alone.</param>
    /// <param name="mode">At-least-once: commit when settled (acked). At-most-once: committed by the group before delivery.</param>
    /// <param name="prefetch">Records delivered and not yet settled, at most.</param>
    /// <param name="deliver">Hands one record and its sequence number (the ack id) to the adapter; false when the subscription is gone.</param>
    /// <param name="filter">Records to deliver (others are skipped and settled); null = all.</param>
    /// <exception cref="StreamOffsetException">A bad partition or offset.</exception>
    public StreamPushConsumer(StreamLog stream, ConsumerGroup? group, StreamPosition start, GroupDeliveryMode mode, int prefetch, Func<StreamRecord, long, bool> deliver, Func<StreamRecord, bool>? filter = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(deliver);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefetch);
        _stream = stream;
        _group = group;
        _start = start;
        Mode = mode;
        _deliver = deliver;
        _filter = filter;
        _partitions = new int[prefetch];
        _offsets = new long[prefetch];
        _states = new byte[prefetch];
        _pendingCommit = new long[stream.PartitionCount];
        _committed = new long[stream.PartitionCount];
        Array.Fill(_pendingCommit, -1);
        Array.Fill(_committed, -1);
        if (group is null)
        {
            _readers = new StreamPartitionReader[stream.PartitionCount];
            for (var p = 0; p < _readers.Length; p++)
            {
                _readers[p] = stream.OpenReader(p, Clamp(p, start));
            }

            _pollInterval = Timeout.InfiniteTimeSpan;
        }
        else
        {
            // Heartbeat (fetch) three times per session timeout, so a live connection never expires.
            _pollInterval = TimeSpan.FromTicks(Math.Clamp(group.SessionTimeout.Ticks / 3, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(5).Ticks));
            _member = group.Join(null, mode, start, OnRebalance);
        }
    }

    public GroupDeliveryMode Mode { get; }

    /// <summary>The group member id, or null when reading alone.</summary>
    public string? MemberId => Volatile.Read(ref _member)?.MemberId;

    /// <summary>The partitions this consumer reads now.</summary>
    public IReadOnlyList<int> Assignment => Volatile.Read(ref _member) is { } member ? member.Assignment : [.. Enumerable.Range(0, _stream.PartitionCount)];

    /// <summary>Starts the delivery loop (once).</summary>
    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>
    /// Settles the delivery <paramref name="sequence"/> (and every earlier one when <paramref name="cumulative"/>).
    /// At-least-once group members commit what became contiguous; completes once that commit is durable.
    /// Unknown or already settled sequences are ignored (late acks are normal).
    /// </summary>
    public ValueTask SettleAsync(long sequence, bool cumulative, CancellationToken cancellationToken = default)
    {
        var commit = false;
        lock (_gate)
        {
            if (sequence < _baseSequence || sequence >= _nextSequence)
            {
                return ValueTask.CompletedTask;
            }

            var from = cumulative ? _baseSequence : sequence;
            for (var s = from; s <= sequence; s++)
            {
                var slot = Slot(s);
                if (_states[slot] == Pending)
                {
                    _states[slot] = Settled;
                }
            }

            commit = AdvanceLocked();
        }

        return commit ? CommitPendingAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Settles one delivery without waiting (written at-most-once deliveries, skipped or undeliverable records).
    /// A failed commit is dropped: the records stay uncommitted and are redelivered to the group later (R5).
    /// </summary>
    public void Settle(long sequence)
    {
        var settle = SettleAsync(sequence, cumulative: false);
        if (!settle.IsCompletedSuccessfully)
        {
            _ = ObserveAsync(settle);
        }
    }

    /// <summary>Stops delivery and leaves the group (its partitions are rebalanced at once). Idempotent.</summary>
    public void Close()
    {
        ConsumerGroupMember? member;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            member = _member;
        }

        _stop.Cancel();
        member?.Leave();
    }

    /// <summary>
    /// Same as <see cref="Close"/>. The semaphores and token sources are left to the GC on purpose: late settles and
    /// the loop's last iteration may still touch them after the subscription ended, and none holds an OS handle.
    /// </summary>
#pragma warning disable CA2213 // See the summary: disposing them would turn late acks into ObjectDisposedExceptions.
    public void Dispose() => Close();
#pragma warning restore CA2213

    /// <summary>Waits for the delivery loop to end after <see cref="Close"/> (tests and orderly shutdown).</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    private async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                int free;
                lock (_gate)
                {
                    free = _partitions.Length - (int)(_nextSequence - _baseSequence);
                }

                if (free <= 0)
                {
                    await _wake.WaitAsync(_group is null ? Timeout.InfiniteTimeSpan : _pollInterval, token).ConfigureAwait(false);
                    if (Volatile.Read(ref _member) is { } member && !member.Heartbeat())
                    {
                        Rejoin();
                    }

                    continue;
                }

                var records = _group is null ? await FetchAloneAsync(free, token).ConfigureAwait(false) : await FetchGroupAsync(free, token).ConfigureAwait(false);
                foreach (var record in records)
                {
                    if (!Hand(record))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closed.
        }
        catch (ObjectDisposedException)
        {
            // The stream was deleted or the broker is stopping.
        }
    }

    /// <summary>Gives the record a sequence and delivers it; false when the subscription is gone.</summary>
    private bool Hand(StreamRecord record)
    {
        long sequence;
        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            sequence = _nextSequence++;
            var slot = Slot(sequence);
            _partitions[slot] = record.Partition;
            _offsets[slot] = record.Offset;
            _states[slot] = Pending;
        }

        if (_filter is { } filter && !filter(record))
        {
            Settle(sequence);
            return true;
        }

        return _deliver(record, sequence);
    }

    private async Task<IReadOnlyList<StreamRecord>> FetchGroupAsync(int max, CancellationToken token)
    {
        var member = Volatile.Read(ref _member)!;
        CancellationTokenSource rebalance;
        lock (_gate)
        {
            rebalance = _rebalance;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, rebalance.Token);
        try
        {
            var result = await member.FetchAsync(max, _pollInterval, linked.Token).ConfigureAwait(false);
            return result.Records;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return []; // a rebalance changed the partitions: fetch again with the new assignment
        }
        catch (GroupMembershipException)
        {
            Rejoin(); // expired (the process was paused longer than the session timeout): join again
            return [];
        }
    }

    private async Task<IReadOnlyList<StreamRecord>> FetchAloneAsync(int max, CancellationToken token)
    {
        var readers = _readers!;
        List<StreamRecord>? records = null;
        for (var i = 0; i < readers.Length && (records?.Count ?? 0) < max; i++)
        {
            var reader = readers[(i + _cursor) % readers.Length];
            var read = await reader.ReadAsync(max - (records?.Count ?? 0), TimeSpan.Zero, token).ConfigureAwait(false);
            if (read.Count > 0)
            {
                (records ??= []).AddRange(read);
            }
        }

        _cursor++;
        if (records is not null)
        {
            return records;
        }

        var offsets = new long[readers.Length];
        for (var p = 0; p < offsets.Length; p++)
        {
            offsets[p] = readers[p].NextOffset;
        }

        await _stream.WaitForAnyAsync(offsets, token).ConfigureAwait(false);
        return [];
    }

    private void Rejoin()
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            VoidLocked(static (_, _) => false, null);
            _member = _group!.Join(null, Mode, _start, OnRebalance);
        }
    }

    /// <summary>Group callback (outside the group's lock): void deliveries of lost partitions, wake the loop.</summary>
    private void OnRebalance(ConsumerGroupMember member)
    {
        var owned = member.Assignment;
        CancellationTokenSource previous;
        lock (_gate)
        {
            if (_closed || !ReferenceEquals(member, _member))
            {
                return;
            }

            VoidLocked(static (partition, owned) => owned!.Contains(partition), owned);
            previous = _rebalance;
            _rebalance = new CancellationTokenSource();
        }

        previous.Cancel();
        previous.Dispose();
        Wake();
    }

    /// <summary>Under the gate: every pending delivery of a partition not kept is voided; its commit state forgotten.</summary>
    private void VoidLocked(Func<int, IReadOnlyList<int>?, bool> keep, IReadOnlyList<int>? owned)
    {
        for (var s = _baseSequence; s < _nextSequence; s++)
        {
            var slot = Slot(s);
            if (!keep(_partitions[slot], owned))
            {
                _states[slot] = Void;
            }
        }

        for (var p = 0; p < _pendingCommit.Length; p++)
        {
            if (!keep(p, owned))
            {
                _pendingCommit[p] = -1;
                _committed[p] = -1;
            }
        }

        AdvanceLocked();
    }

    /// <summary>Under the gate: moves the window start over settled and voided slots; true when a commit is due.</summary>
    private bool AdvanceLocked()
    {
        var commit = false;
        var advanced = false;
        while (_baseSequence < _nextSequence)
        {
            var slot = Slot(_baseSequence);
            if (_states[slot] == Pending)
            {
                break;
            }

            if (_states[slot] == Settled && _group is not null && Mode == GroupDeliveryMode.AtLeastOnce)
            {
                var partition = _partitions[slot];
                _pendingCommit[partition] = Math.Max(_pendingCommit[partition], _offsets[slot] + 1);
                commit = true;
            }

            _baseSequence++;
            advanced = true;
        }

        if (advanced)
        {
            Wake();
        }

        return commit;
    }

    private async ValueTask CommitPendingAsync(CancellationToken cancellationToken)
    {
        await _commitLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var p = 0; p < _pendingCommit.Length; p++)
            {
                long target;
                ConsumerGroupMember? member;
                lock (_gate)
                {
                    target = _pendingCommit[p];
                    member = _member;
                    if (target <= _committed[p])
                    {
                        continue;
                    }
                }

                try
                {
                    await member!.CommitAsync(p, target, cancellationToken).ConfigureAwait(false);
                    lock (_gate)
                    {
                        _committed[p] = Math.Max(_committed[p], target);
                    }
                }
                catch (GroupMembershipException)
                {
                    // The partition moved (or this member expired): its new owner resumes at the last commit.
                }
            }
        }
        finally
        {
            _commitLock.Release();
        }
    }

    private static async Task ObserveAsync(ValueTask settle)
    {
        try
        {
            await settle.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // See Settle: uncommitted, redelivered later.
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private StreamPosition Clamp(int partition, StreamPosition start) =>
        start.Kind == StreamPositionKind.Offset && start.Value > _stream.EndOffset(partition) ? StreamPosition.AtOffset(_stream.EndOffset(partition)) : start;

    private int Slot(long sequence) => (int)(sequence % _partitions.Length);
}

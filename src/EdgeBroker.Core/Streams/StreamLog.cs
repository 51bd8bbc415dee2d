namespace EdgeBroker.Core.Streams;

using System.Buffers;
using System.Text;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;

/// <summary>
/// One declared stream: a <see cref="PartitionedLog"/> of serialized messages (<see cref="MessageSerializer"/>;
/// record key = the message key in UTF-8, record timestamp = the publish time) and the bind target the routing
/// core appends to. <see cref="AcceptAsync"/> completes only once the record is durable under the stream's fsync
/// policy (R1, R3); reads return only readable (durable under fsync=always) records (R6).
/// A truncation moves a per-partition logical start forward (records below are never served again) and deletes
/// the whole segments below it.
/// Thread-safety: appends, reads and waits may run concurrently from any thread.
/// </summary>
public sealed class StreamLog : IMessageTarget
{
    private readonly PartitionedLog _log;
    private readonly TimeProvider _time;
    private readonly long[] _logicalStarts;
    private int _roundRobin = -1;
    private long _appended;
    private long _failed;

    internal StreamLog(StreamDeclaration declaration, PartitionedLog log, TimeProvider time, IReadOnlyList<long> logicalStarts)
    {
        Declaration = declaration;
        _log = log;
        _time = time;
        _logicalStarts = [.. logicalStarts];
        Name = "stream:" + declaration.Name;
    }

    public StreamDeclaration Declaration { get; }

    public string StreamName => Declaration.Name;

    /// <summary>Display name for routing diagnostics: <c>stream:&lt;name&gt;</c>.</summary>
    public string Name { get; }

    public bool IsDurable => true;

    public int PartitionCount => _log.Partitions.Count;

    internal PartitionedLog Log => _log;

    internal bool IsClosed { get; set; }

    /// <summary>Appends routed here by a binding (capture). Failed on storage errors, Rejected for unencodable or oversized messages.</summary>
    public async ValueTask<TargetResult> AcceptAsync(Message message, CancellationToken cancellationToken)
    {
        try
        {
            await AppendAsync(message, null, cancellationToken).ConfigureAwait(false);
            return TargetResult.Accepted;
        }
        catch (ArgumentException ex)
        {
            return TargetResult.Rejected($"{Name}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return TargetResult.Failed($"{Name}: {ex.Message}");
        }
    }

    /// <summary>The partition <paramref name="message"/> goes to under this stream's partitioning.</summary>
    public int SelectPartition(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var count = PartitionCount;
        return Declaration.Partitioning switch
        {
            StreamPartitioning.Key when message.Key is { } key => StreamPartitioner.PartitionFor(key, count),
            StreamPartitioning.Topic => StreamPartitioner.PartitionFor(message.Topic, count),
            _ => (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)count),
        };
    }

    /// <summary>
    /// Appends one message, to <paramref name="partition"/> or the one <see cref="SelectPartition"/> picks, and
    /// completes with its position once durable (R1).
    /// </summary>
    /// <exception cref="ArgumentException">Unencodable message, record too large, or a bad partition.</exception>
    /// <exception cref="LogWriteException">Storage failed; nothing was acknowledged (R11).</exception>
    public async ValueTask<StreamAppendResult> AppendAsync(Message message, int? partition = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var p = partition ?? SelectPartition(message);
        if ((uint)p >= (uint)PartitionCount)
        {
            throw new ArgumentOutOfRangeException(nameof(partition), p, $"stream '{StreamName}' has partitions 0..{PartitionCount - 1}");
        }

        var size = MessageSerializer.GetSize(message);
        var keyLength = message.Key is { } key ? Encoding.UTF8.GetByteCount(key) : 0;
        var timestamp = message.TimestampMs > 0 ? message.TimestampMs : _time.GetUtcNow().ToUnixTimeMilliseconds();

        // One pooled buffer holds key and value: the log copies the record into its batch buffer inside
        // AppendAsync (before it returns), so ours goes back at once and no per-message array is allocated.
        var buffer = ArrayPool<byte>.Shared.Rent(keyLength + size);
        ValueTask<long> append;
        try
        {
            if (keyLength > 0)
            {
                Encoding.UTF8.GetBytes(message.Key, buffer.AsSpan(0, keyLength));
            }

            MessageSerializer.Write(message, buffer.AsSpan(keyLength, size));
            append = _log.Partitions[p].AppendAsync(new LogRecord(buffer.AsMemory(0, keyLength), buffer.AsMemory(keyLength, size), timestamp), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        try
        {
            var offset = await append.ConfigureAwait(false);
            Interlocked.Increment(ref _appended);
            return new StreamAppendResult(p, offset);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _failed);
            throw;
        }
    }

    /// <summary>The first offset still served (retention and truncation move it forward).</summary>
    public long StartOffset(int partition)
    {
        var log = Partition(partition);
        return Math.Max(log.StartOffset, Volatile.Read(ref _logicalStarts[partition]));
    }

    /// <summary>One past the last readable offset (R6: durable under fsync=always).</summary>
    public long EndOffset(int partition) => Partition(partition).ReadableEndOffset;

    /// <summary>The offset a reader starting at <paramref name="position"/> reads first.</summary>
    /// <exception cref="StreamOffsetException">An explicit offset beyond the end of the partition (R7).</exception>
    public long Resolve(int partition, StreamPosition position)
    {
        var start = StartOffset(partition);
        var end = EndOffset(partition);
        switch (position.Kind)
        {
            case StreamPositionKind.First:
                return start;
            case StreamPositionKind.Last:
                return Math.Max(start, end - 1);
            case StreamPositionKind.Next:
                return end;
            case StreamPositionKind.Timestamp:
                return Math.Max(start, Partition(partition).FindOffsetByTime(position.Value));
            default:
                if (position.Value < 0 || position.Value > end)
                {
                    throw new StreamOffsetException($"offset {position.Value} is outside partition {partition} of stream '{StreamName}' (records {start}..{end - 1}, next {end})");
                }

                // Below the start (retention or truncation took it): resume at the oldest record held; the gap shows in the offsets.
                return Math.Max(start, position.Value);
        }
    }

    /// <summary>
    /// Up to <paramref name="maxRecords"/> records at offsets ≥ <paramref name="offset"/> (from the start when older).
    /// Throws <see cref="LogCorruptedException"/> for a quarantined range (R8); resume at its end offset.
    /// </summary>
    public IReadOnlyList<StreamRecord> Read(int partition, long offset, int maxRecords, int maxBytes = int.MaxValue)
    {
        var log = Partition(partition);
        var entries = log.Read(Math.Max(offset, StartOffset(partition)), maxRecords, maxBytes);
        var records = new StreamRecord[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            records[i] = new StreamRecord(partition, entry.Offset, entry.TimestampMs, MessageSerializer.Read(entry.Value));
        }

        return records;
    }

    /// <summary>Completes once a record at <paramref name="offset"/> is readable: an async wait on the log's signal, no polling.</summary>
    public Task WaitForDataAsync(int partition, long offset, CancellationToken cancellationToken) =>
        Partition(partition).WaitForDataAsync(offset, cancellationToken);

    /// <summary>Completes once any partition has a record at or past its offset in <paramref name="offsets"/> (index = partition; negative = skip).</summary>
    public async Task WaitForAnyAsync(IReadOnlyList<long> offsets, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task>(offsets.Count);
        for (var p = 0; p < offsets.Count; p++)
        {
            if (offsets[p] >= 0)
            {
                waits.Add(WaitForDataAsync(p, offsets[p], linked.Token));
            }
        }

        if (waits.Count == 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            return;
        }

        var first = await Task.WhenAny(waits).ConfigureAwait(false);
        await linked.CancelAsync().ConfigureAwait(false);
        await first.ConfigureAwait(false);
    }

    /// <summary>A reader of one partition starting at <paramref name="start"/>.</summary>
    public StreamPartitionReader OpenReader(int partition, StreamPosition start) => new(this, partition, Resolve(partition, start));

    public StreamStats Stats
    {
        get
        {
            var partitions = new StreamPartitionStats[PartitionCount];
            for (var p = 0; p < partitions.Length; p++)
            {
                var log = _log.Partitions[p];
                partitions[p] = new StreamPartitionStats(p, StartOffset(p), log.ReadableEndOffset, log.SizeBytes, log.SegmentCount, log.IsReadOnly);
            }

            return new StreamStats(Declaration, partitions, Interlocked.Read(ref _appended), Interlocked.Read(ref _failed));
        }
    }

    /// <summary>Moves the logical start of <paramref name="partition"/> to <paramref name="beforeOffset"/> (clamped to the end) and frees whole segments below it.</summary>
    internal long Truncate(int partition, long beforeOffset)
    {
        var log = Partition(partition);
        var target = Math.Min(beforeOffset, log.ReadableEndOffset);
        long current;
        do
        {
            current = Volatile.Read(ref _logicalStarts[partition]);
            if (target <= current)
            {
                return current;
            }
        }
        while (Interlocked.CompareExchange(ref _logicalStarts[partition], target, current) != current);

        log.DeleteSegmentsBefore(target);
        return target;
    }

    internal long LogicalStart(int partition) => Volatile.Read(ref _logicalStarts[partition]);

    internal void EnforceRetention()
    {
        foreach (var log in _log.Partitions)
        {
            if (!log.IsReadOnly)
            {
                log.EnforceRetention();
            }
        }
    }

    private Log Partition(int partition)
    {
        if ((uint)partition >= (uint)PartitionCount)
        {
            throw new StreamOffsetException($"stream '{StreamName}' has partitions 0..{PartitionCount - 1} (asked for {partition})");
        }

        return _log.Partitions[partition];
    }
}

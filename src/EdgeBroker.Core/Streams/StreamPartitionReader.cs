namespace EdgeBroker.Core.Streams;

using System.Runtime.CompilerServices;

/// <summary>
/// Reads one partition forward from a position and follows it live: <see cref="ReadAsync"/> returns what is
/// readable now or waits (asynchronously, on the log's data signal) for the next durable record.
/// Not thread-safe: one reader per consumer; create as many as needed.
/// </summary>
public sealed class StreamPartitionReader
{
    private readonly StreamLog _stream;

    internal StreamPartitionReader(StreamLog stream, int partition, long offset)
    {
        _stream = stream;
        Partition = partition;
        NextOffset = offset;
    }

    public int Partition { get; }

    /// <summary>The offset the next read starts at.</summary>
    public long NextOffset { get; private set; }

    /// <summary>
    /// Up to <paramref name="maxRecords"/> records. When none is readable and <paramref name="wait"/> is positive,
    /// waits up to that long for one (long poll); returns an empty list on timeout.
    /// </summary>
    public async Task<IReadOnlyList<StreamRecord>> ReadAsync(int maxRecords, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var records = ReadAvailable(maxRecords);
        if (records.Count > 0 || wait <= TimeSpan.Zero)
        {
            return records;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await _stream.WaitForDataAsync(Partition, NextOffset, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return [];
        }

        return ReadAvailable(maxRecords);
    }

    /// <summary>Every record from the position on, then each new durable one as it arrives, until cancelled.</summary>
    public async IAsyncEnumerable<StreamRecord> FollowAsync(int batchSize = 256, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var records = ReadAvailable(batchSize);
            if (records.Count == 0)
            {
                await _stream.WaitForDataAsync(Partition, NextOffset, cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var record in records)
            {
                yield return record;
            }
        }
    }

    /// <summary>Moves the position (e.g. to a committed offset after a rebalance).</summary>
    public void Seek(StreamPosition position) => NextOffset = _stream.Resolve(Partition, position);

    private IReadOnlyList<StreamRecord> ReadAvailable(int maxRecords)
    {
        var records = _stream.Read(Partition, NextOffset, maxRecords);
        if (records.Count > 0)
        {
            NextOffset = records[^1].Offset + 1;
        }
        else
        {
            // Retention or truncation may have moved the start past our position.
            NextOffset = Math.Max(NextOffset, _stream.StartOffset(Partition));
        }

        return records;
    }
}

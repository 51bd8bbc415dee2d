namespace EdgeBroker.Server.Hub;

using System.Globalization;
using EdgeBroker.Core.Streams;
using EdgeBroker.Server.Hub.Contracts;
using EdgeBroker.Storage;
using Microsoft.AspNetCore.SignalR;

/// <summary>
/// <c>readStream</c> and <c>followStream</c> over the same stream store the HTTP API uses
/// (<see cref="StreamLog.OpenReader"/>): position parsing, the history read across partitions, and the follow
/// loops. Readers see only durable records (R6). Stateless apart from the follow tasks it starts.
/// </summary>
internal static class HubStreams
{
    public const int DefaultMax = 100;
    public const int MaxRecords = 1000;
    private const int FollowBatch = 256;

    /// <summary>The requested start position; throws a <see cref="HubException"/> for an invalid request.</summary>
    public static StreamPosition Position(HubStreamRequest request)
    {
        var from = request.From?.Trim().ToLowerInvariant();
        switch (from)
        {
            case null or "" when request.Offset is null && request.Timestamp is null:
            case "first":
                return StreamPosition.First;
            case "last":
                return StreamPosition.Last;
            case "next":
                return StreamPosition.Next;
            case null or "" or "offset" when request.Offset is { } offset:
                return offset >= 0 ? StreamPosition.AtOffset(offset) : throw new HubException($"invalid position: offset must not be negative (was {offset})");
            case null or "" or "timestamp" when request.Timestamp is { } text:
                return StreamPosition.AtTimestamp(ParseTimestamp(text));
            default:
                throw new HubException($"invalid position: from must be first, last, next, offset (with offset) or timestamp (with timestamp); was '{request.From}'");
        }
    }

    /// <summary>Up to max records from one or every partition, oldest first by timestamp when several partitions are read.</summary>
    public static async Task<IReadOnlyList<HubStreamRecord>> ReadAsync(StreamLog stream, HubStreamRequest request, CancellationToken cancellationToken)
    {
        var max = Math.Clamp(request.Max ?? DefaultMax, 1, MaxRecords);
        var position = Position(request);
        var records = new List<StreamRecord>();
        foreach (var partition in Partitions(stream, request))
        {
            var reader = OpenReader(stream, partition, position, clampOffset: request.Partition is null);
            try
            {
                records.AddRange(await reader.ReadAsync(max, TimeSpan.Zero, cancellationToken).ConfigureAwait(false));
            }
            catch (LogCorruptedException ex)
            {
                throw new HubException($"corrupt records: offsets {ex.Range.StartOffset}..{ex.Range.EndOffset - 1} of partition {partition} are quarantined; resume at offset {ex.EndOffset}");
            }
        }

        IEnumerable<StreamRecord> ordered = records.Count > max || request.Partition is null
            ? records.OrderBy(r => r.TimestampMs).ThenBy(r => r.Partition).ThenBy(r => r.Offset).Take(max)
            : records;
        return [.. ordered.Select(r => HubEvents.ToRecord(stream.StreamName, r, null))];
    }

    /// <summary>Starts one follow loop per partition; dispose the result to stop them all.</summary>
    public static IDisposable Follow(StreamLog stream, HubStreamRequest request, HubSubscriber subscriber, string id, Action<string> onError)
    {
        var position = Position(request);
        var readers = Partitions(stream, request).Select(p => OpenReader(stream, p, position, clampOffset: request.Partition is null)).ToList();
        var cts = CancellationTokenSource.CreateLinkedTokenSource(subscriber.Closed);
        foreach (var reader in readers)
        {
            _ = Task.Run(() => FollowAsync(stream, reader, subscriber, id, onError, cts.Token));
        }

        return new Stopper(cts);
    }

    private static async Task FollowAsync(StreamLog stream, StreamPartitionReader reader, HubSubscriber subscriber, string id, Action<string> onError, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var records = await reader.ReadAsync(FollowBatch, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                foreach (var record in records)
                {
                    var item = HubOutbound.Event(HubOutbound.StreamRecordMethod, id, HubEvents.ToRecord(stream.StreamName, record, id));
                    await subscriber.EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Unsubscribed or disconnected.
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            // The connection closed while a record waited for room.
        }
        catch (Exception ex) when (ex is LogCorruptedException or ObjectDisposedException or IOException or InvalidOperationException or StreamOffsetException)
        {
            // The stream was deleted or a range is unreadable: this follow ends; the client may start a new one.
            onError(ex.Message);
        }
    }

    private static IEnumerable<int> Partitions(StreamLog stream, HubStreamRequest request)
    {
        if (request.Partition is not { } partition)
        {
            return Enumerable.Range(0, stream.PartitionCount);
        }

        return partition >= 0 && partition < stream.PartitionCount
            ? [partition]
            : throw new HubException($"invalid partition: stream '{stream.StreamName}' has partitions 0..{stream.PartitionCount - 1} (asked for {partition})");
    }

    /// <summary>An offset past a partition's end is an error for one named partition; across all partitions it means "nothing yet here".</summary>
    private static StreamPartitionReader OpenReader(StreamLog stream, int partition, StreamPosition position, bool clampOffset)
    {
        if (clampOffset && position.Kind == StreamPositionKind.Offset && position.Value > stream.EndOffset(partition))
        {
            position = StreamPosition.Next;
        }

        try
        {
            return stream.OpenReader(partition, position);
        }
        catch (StreamOffsetException ex)
        {
            throw new HubException("invalid position: " + ex.Message);
        }
    }

    private static long ParseTimestamp(string text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return ms;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUnixTimeMilliseconds()
            : throw new HubException($"invalid position: timestamp must be ISO-8601 or Unix milliseconds (was '{text}')");
    }

    private sealed class Stopper(CancellationTokenSource cts) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                cts.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            // Not disposed here: the follow loops may still be unwinding on its token. It is linked to the
            // connection's token only, so it is released with the connection.
        }
    }
}

namespace EdgeBroker.Core.Queues;

using System.Buffers;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Routing;
using EdgeBroker.Storage;

/// <summary>The publish side: max length, the durable append (R1), then the message becomes ready.</summary>
public sealed partial class LogQueue
{
    private readonly SortedDictionary<long, int> _pendingFloors = [];
    private int _pendingAppends;

    /// <summary>
    /// Completes once the message is durable under the fsync policy (R1), and only then makes it deliverable
    /// (R6: consumers never see a message a crash could take back under fsync=always).
    /// </summary>
    public async ValueTask<TargetResult> AcceptAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        int size;
        try
        {
            size = MessageSerializer.GetSize(message);
        }
        catch (ArgumentException ex)
        {
            return TargetResult.Rejected(ex.Message);
        }

        QueueEntry? droppedHead = null;
        long floor;
        lock (_lock)
        {
            if (_closed)
            {
                return TargetResult.Failed($"queue '{QueueName}' is closed or deleted");
            }

            if (Options.MaxLength is { } max && _ready.Count + _unackedCount + _pendingAppends >= max)
            {
                // R12: overflow answers the publish negatively before the ack, never drops after it.
                if (Options.Overflow == QueueOverflow.RejectPublish || _ready.Count == 0)
                {
                    _rejected++;
                    return TargetResult.Rejected($"queue '{QueueName}' is full (max length {max})");
                }

                droppedHead = _ready.Min!;
                RemoveReady(droppedHead);
                _dropped++;
                _deadLetterPending.Add(droppedHead.Id);
            }

            _pendingAppends++;
            floor = _journal.NextMessageId;
            _pendingFloors[floor] = _pendingFloors.GetValueOrDefault(floor) + 1;
        }

        if (droppedHead is not null)
        {
            RunInBackground(() => DeadLetterAsync([droppedHead], DeadLetterMessage.MaxLength));
        }

        var now = NowMs();
        long id;
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            MessageSerializer.Write(message, buffer.AsSpan(0, size), size);

            // The log encodes the record into its own batch buffer inside AppendAsync, so ours can go back at once.
            var append = _journal.AppendMessageAsync(buffer.AsMemory(0, size), now, cancellationToken);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
            id = await append.ConfigureAwait(false);
        }
        catch (LogWriteException ex)
        {
            EndAppend(floor, null);
            return TargetResult.Failed(ex.Message);
        }
        catch (ArgumentException ex)
        {
            EndAppend(floor, null); // larger than the log's MaxRecordBytes
            return TargetResult.Rejected(ex.Message);
        }
        catch (ObjectDisposedException)
        {
            EndAppend(floor, null);
            return TargetResult.Failed($"queue '{QueueName}' is closed");
        }
        catch
        {
            EndAppend(floor, null); // cancelled: the outcome is unknown (the record may still become durable)
            throw;
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        EndAppend(floor, new QueueEntry(id, message, size, QueueEntry.ComputeExpiry(message, now, Options.MessageTtl), deliveryCount: 0));
        Dispatch();
        return TargetResult.Accepted;
    }

    private void EndAppend(long floor, QueueEntry? entry)
    {
        lock (_lock)
        {
            _pendingAppends--;
            if (_pendingFloors[floor] == 1)
            {
                _pendingFloors.Remove(floor);
            }
            else
            {
                _pendingFloors[floor]--;
            }

            if (entry is not null && !_closed)
            {
                _published++;
                _mayExpire |= entry.ExpiresAtMs != long.MaxValue;
                AddReadyAtTail(entry);
            }
        }
    }
}

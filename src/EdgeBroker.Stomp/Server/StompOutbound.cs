namespace EdgeBroker.Stomp.Server;

using System.Globalization;
using System.IO.Pipelines;
using System.Threading.Channels;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// The outbound side of one connection (STYLE.md #6): producers (the read loop, publisher threads delivering
/// live messages, queue dispatch threads, the heart-beat timer) enqueue; one writer loop drains everything that
/// is queued into the <see cref="PipeWriter"/> and flushes once per batch.
/// <code>
///  TryEnqueueLive ─┐ (bounded: MaxPendingLiveMessages, overflow = drop + count)
///  EnqueueQueue ───┤ (bounded by each subscription's prefetch)
///  EnqueueFrame ───┼──► channel ──► writer loop: write, write, …, flush; then ack:auto up to the last tag
///  EnqueueHeartbeat┘
/// </code>
/// Thread-safety: the Enqueue methods are thread-safe; <see cref="RunAsync"/> is called once.
/// </summary>
internal sealed class StompOutbound
{
    private const int MaxUnflushedBytes = 64 * 1024;
    private const int MaxFramesPerFlush = 512;

    private readonly Channel<OutboundItem> _channel = Channel.CreateUnbounded<OutboundItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _maxPendingLive;
    private readonly TimeProvider _time;
    private readonly string _messageIdPrefix;
    private readonly List<StompHeader> _headers = new(32);
    private readonly List<StompSubscription> _autoAcks = [];
    private readonly List<(StompSubscription Subscription, long Tag)> _undeliverable = [];
    private int _pendingLive;
    private long _dropped;
    private long _lastWriteTimestamp;
    private long _messageSequence;

    public StompOutbound(int maxPendingLive, TimeProvider time, string messageIdPrefix)
    {
        _maxPendingLive = maxPendingLive;
        _time = time;
        _messageIdPrefix = messageIdPrefix;
        _lastWriteTimestamp = time.GetTimestamp();
    }

    /// <summary>The version frames are written in; set before CONNECTED is queued, then fixed.</summary>
    public StompVersion Version { get; set; } = StompVersion.V12;

    /// <summary>Live messages dropped because the connection's live queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long LastWriteTimestamp => Interlocked.Read(ref _lastWriteTimestamp);

    public void EnqueueFrame(StompFrame frame) => _channel.Writer.TryWrite(new OutboundItem(OutboundKind.Frame, Frame: frame));

    /// <summary>Makes the writer run a flush (and the ack:auto settlement that follows one).</summary>
    public void EnqueueFlush() => _channel.Writer.TryWrite(new OutboundItem(OutboundKind.Flush));

    public void EnqueueHeartbeat() => _channel.Writer.TryWrite(new OutboundItem(OutboundKind.Heartbeat));

    /// <summary>Asks the writer to flush everything before it and stop.</summary>
    public void EnqueueClose() => _channel.Writer.TryWrite(new OutboundItem(OutboundKind.Close));

    /// <summary>No more items; the writer drains what is queued and returns.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>Queues a live message; false (and counted) when the connection's live queue is full. Retained messages are not bounded.</summary>
    public bool TryEnqueueLive(Message message, StompSubscription subscription, bool isRetained)
    {
        if (!isRetained && Interlocked.Increment(ref _pendingLive) > _maxPendingLive)
        {
            Interlocked.Decrement(ref _pendingLive);
            Interlocked.Increment(ref _dropped);
            return false;
        }

        if (!_channel.Writer.TryWrite(new OutboundItem(OutboundKind.Live, Message: message, Subscription: subscription, IsRetained: isRetained)))
        {
            if (!isRetained)
            {
                Interlocked.Decrement(ref _pendingLive);
            }

            return false; // closing
        }

        return true;
    }

    /// <summary>Queues a stream record (bounded by the subscription's prefetch); false once the connection is closing.</summary>
    public bool TryEnqueueStream(Core.Streams.StreamRecord record, long sequence, StompSubscription subscription) =>
        !subscription.IsClosed && _channel.Writer.TryWrite(new OutboundItem(OutboundKind.Stream, Subscription: subscription, Record: record, Sequence: sequence));

    public void EnqueueQueueDelivery(QueueDelivery delivery, StompSubscription subscription) =>
        _channel.Writer.TryWrite(new OutboundItem(OutboundKind.Queue, Subscription: subscription, Delivery: delivery));

    /// <summary>The writer loop. Returns when the channel completes, a Close item is reached, or the transport is gone.</summary>
    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var reader = _channel.Reader;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var stop = false;
                var frames = 0;
                while (!stop && reader.TryRead(out var item))
                {
                    stop = Write(output, item);
                    if (++frames >= MaxFramesPerFlush || (output.CanGetUnflushedBytes && output.UnflushedBytes >= MaxUnflushedBytes))
                    {
                        if (!await FlushAsync(output, cancellationToken).ConfigureAwait(false))
                        {
                            return;
                        }

                        frames = 0;
                    }
                }

                if (!await FlushAsync(output, cancellationToken).ConfigureAwait(false) || stop)
                {
                    return;
                }
            }
        }
        finally
        {
            // Whatever is still queued is never written: live messages are at-most-once and queue deliveries are
            // requeued when their consumer is disposed.
            _channel.Writer.TryComplete();
        }
    }

    private async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lastWriteTimestamp, _time.GetTimestamp());

        // ack:auto settles a queue message once it was handed to the transport: one cumulative ack per flush.
        // A delivery can be written before Consume() returned and the consumer was recorded: such a subscription
        // stays in the list; the session queues a Flush item once the consumer is known.
        for (var i = _autoAcks.Count - 1; i >= 0; i--)
        {
            var subscription = _autoAcks[i];
            if (subscription.Consumer is null && !subscription.IsClosed)
            {
                continue;
            }

            var tag = subscription.AutoAckTag;
            subscription.AutoAckTag = 0;
            _autoAcks.RemoveAt(i);
            if (subscription.Consumer is { } consumer && !subscription.IsClosed)
            {
                await consumer.AckUpToAsync(tag).ConfigureAwait(false);
            }
        }

        foreach (var (subscription, tag) in _undeliverable)
        {
            if (subscription.Consumer is { } consumer)
            {
                await consumer.NackAsync(tag, requeue: false).ConfigureAwait(false);
            }
        }

        _undeliverable.Clear();
        return !result.IsCompleted && !result.IsCanceled;
    }

    /// <summary>Writes one item; true when the writer must stop after flushing.</summary>
    private bool Write(PipeWriter output, OutboundItem item)
    {
        switch (item.Kind)
        {
            case OutboundKind.Frame:
                StompFrameWriter.Write(output, item.Frame!, Version);
                return false;
            case OutboundKind.Heartbeat:
                StompFrameWriter.WriteHeartbeat(output);
                return false;
            case OutboundKind.Close:
                return true;
            case OutboundKind.Flush:
                return false;
            case OutboundKind.Live:
                if (!item.IsRetained)
                {
                    Interlocked.Decrement(ref _pendingLive);
                }

                WriteLive(output, item.Message!, item.Subscription!, item.IsRetained);
                return false;
            case OutboundKind.Queue:
                WriteQueueDelivery(output, item.Delivery!, item.Subscription!);
                return false;
            case OutboundKind.Stream:
                WriteStreamRecord(output, item.Record!, item.Sequence, item.Subscription!);
                return false;
            default:
                return false;
        }
    }

    private void WriteLive(PipeWriter output, Message message, StompSubscription subscription, bool isRetained)
    {
        if (subscription.IsClosed)
        {
            return; // [STOMP 1.2 UNSUBSCRIBE] no MESSAGE after the subscription ended
        }

        if (!ReferenceEquals(subscription.LastTopic, message.Topic))
        {
            subscription.LastTopic = message.Topic;
            subscription.LastTopicHeader = StompDestination.TopicPrefix + message.Topic;
        }

        var sequence = ++_messageSequence;
        if (!TryWriteMessage(output, message, subscription, subscription.LastTopicHeader!, sequence, isRetained, deliveryCount: 0))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void WriteQueueDelivery(PipeWriter output, QueueDelivery delivery, StompSubscription subscription)
    {
        if (subscription.IsClosed)
        {
            return; // unacked: requeued when the consumer is disposed
        }

        var destination = subscription.Destination.Kind == StompDestinationKind.Exchange
            ? StompDestination.ExchangePrefix + subscription.Destination.Name + "/" + delivery.Message.Topic
            : subscription.DestinationHeader;
        if (!TryWriteMessage(output, delivery.Message, subscription, destination, delivery.DeliveryTag, isRetained: false, delivery.DeliveryCount))
        {
            // Headers this version cannot carry (1.0 has no escaping): dead-letter it after the flush, never loop on it.
            Interlocked.Increment(ref _dropped);
            _undeliverable.Add((subscription, delivery.DeliveryTag));
            return;
        }

        if (subscription.AckMode == StompAckMode.Auto)
        {
            if (subscription.AutoAckTag == 0)
            {
                _autoAcks.Add(subscription);
            }

            subscription.AutoAckTag = Math.Max(subscription.AutoAckTag, delivery.DeliveryTag);
        }
    }

    private void WriteStreamRecord(PipeWriter output, Core.Streams.StreamRecord record, long sequence, StompSubscription subscription)
    {
        if (subscription.IsClosed)
        {
            return; // uncommitted: the group redelivers it to the partition's next owner
        }

        var written = TryWriteMessage(output, record.Message, subscription, subscription.DestinationHeader, sequence, isRetained: false, deliveryCount: 0, record);
        if (!written)
        {
            // Headers this version cannot carry (1.0 has no escaping): counted and settled, never retried in a loop.
            Interlocked.Increment(ref _dropped);
        }

        if (!written || subscription.AckMode == StompAckMode.Auto)
        {
            // ack:auto settles on write (at-most-once: a group committed it before delivery). No await: no commit here.
            subscription.Stream!.Settle(sequence);
        }
    }

    /// <summary>
    /// MESSAGE: subscription, message-id, destination, ack (1.2, client modes), then the message's own headers.
    /// The message id <c>&lt;n&gt;-&lt;subscription id&gt;</c> is also the ack id, so ACK works the same in every version.
    /// </summary>
    private bool TryWriteMessage(PipeWriter output, Message message, StompSubscription subscription, string destination, long number, bool isRetained, int deliveryCount, Core.Streams.StreamRecord? record = null)
    {
        var messageId = StompAckId.Format(number, subscription.Id, _messageIdPrefix);
        _headers.Clear();
        _headers.Add(new StompHeader(StompHeaderNames.Subscription, subscription.Id));
        _headers.Add(new StompHeader(StompHeaderNames.MessageId, messageId));
        _headers.Add(new StompHeader(StompHeaderNames.Destination, destination));
        if (Version == StompVersion.V12 && subscription.AckMode != StompAckMode.Auto)
        {
            _headers.Add(new StompHeader(StompHeaderNames.Ack, messageId));
        }

        if (record is not null)
        {
            StompStreamArguments.AppendMessageHeaders(_headers, record); // before the message's own headers, so these win
        }

        StompMessageMapper.AppendHeaders(_headers, message, Version, isRetained, deliveryCount);
        try
        {
            // The writer validates the whole header section before it advances, so a refusal writes nothing.
            StompFrameWriter.Write(output, StompCommand.Message, _headers, message.Payload.Span, Version, StompContentLengthMode.Always);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"outbound (dropped {Dropped})");
}

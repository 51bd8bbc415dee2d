namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Streams;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// Streams over STOMP (README "Streams over STOMP").
/// <code>
///  SEND /stream/s        IStreamProvider.Get(s).AppendAsync: partition by key header (or the stream's partitioning);
///                        RECEIPT only once durable under the stream's fsync policy (R1); topic = the stream name
///  SUBSCRIBE /stream/s   StreamPushConsumer: alone (every partition from x-stream-offset) or in x-stream-group
///    ack:auto            at-most-once (a group commits before delivery)
///    ack:client[-indiv.] at-least-once (ACK commits the contiguous prefix of the partition, durably, before RECEIPT)
///  NACK                  ignored: the record stays uncommitted (redelivered to the group after a rebalance)
/// </code>
/// </summary>
public sealed partial class StompSession
{
    private StreamLog RequireStream(string name, string? receipt)
    {
        if (StreamNames.Check(name) is { } reason)
        {
            throw new StompSessionException("invalid destination", StompCloseReason.Refused, receipt, reason);
        }

        var streams = _broker!.Streams ?? throw new StompSessionException("streams not available", StompCloseReason.Refused, receipt, "This broker serves no streams.");
        return streams.Get(name) ?? throw new StompSessionException("unknown stream", StompCloseReason.Refused, receipt, $"Stream '{name}' does not exist; declare it in configuration or with PUT /api/streams/{name}.");
    }

    /// <summary>Appends a SEND to the stream; returns once durable (the caller sends the RECEIPT).</summary>
    private async ValueTask AppendToStreamAsync(string name, Message message, string? receipt, CancellationToken cancellationToken)
    {
        var stream = RequireStream(name, receipt);
        if (!_broker!.Authorizer.CanPublish(_identity!, message.Topic))
        {
            throw new StompSessionException("not authorized", StompCloseReason.Refused, receipt);
        }

        try
        {
            await stream.AppendAsync(message, partition: null, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            throw new StompSessionException("message rejected", StompCloseReason.Refused, receipt, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // R11: nothing acknowledged; the client learns it was not stored.
            throw new StompSessionException("message not stored", StompCloseReason.Refused, receipt, ex.Message);
        }
    }

    private void SubscribeStream(StompFrame frame, StompSubscription subscription, int prefetch, string? receipt)
    {
        var name = subscription.Destination.Name;
        var stream = RequireStream(name, receipt);
        if (!_broker!.Authorizer.CanReadStream(_identity!, name))
        {
            throw new UnauthorizedAccessException();
        }

        if (!StompStreamArguments.TryParseOffset(frame.Get(StompStreamArguments.OffsetHeader), out var start))
        {
            throw new StompSessionException("invalid x-stream-offset header", StompCloseReason.ProtocolError, receipt, "Use first, last, next, an offset, offset=<n> or timestamp=<unix ms or ISO 8601>.");
        }

        var group = frame.Get(StompStreamArguments.GroupHeader) is { } groupName ? _broker.Streams!.Group(name, groupName) : null;
        var mode = subscription.AckMode == StompAckMode.Auto ? GroupDeliveryMode.AtMostOnce : GroupDeliveryMode.AtLeastOnce;
        var consumer = new StreamPushConsumer(stream, group, start, mode, prefetch, (record, sequence) => _outbound.TryEnqueueStream(record, sequence, subscription));
        subscription.Stream = consumer;
        consumer.Start();
    }

    /// <summary>ACK of a stream delivery: at-least-once subscriptions commit (durably) before the RECEIPT.</summary>
    private static async ValueTask SettleStreamAsync(StompSubscription subscription, long sequence, bool isAck)
    {
        if (!isAck || subscription.AckMode == StompAckMode.Auto)
        {
            return;
        }

        try
        {
            await subscription.Stream!.SettleAsync(sequence, cumulative: subscription.AckMode == StompAckMode.Client).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            throw new StompSessionException("offset not committed", StompCloseReason.Refused, null, ex.Message);
        }
    }
}

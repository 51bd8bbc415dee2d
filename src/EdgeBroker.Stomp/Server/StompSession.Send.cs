namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// SEND: destination → broker call; RECEIPT only after the broker acknowledged (R3), ERROR with receipt-id
/// otherwise. Also the temp-queue names of this connection. Every SEND first passes the connection's publish gate:
/// while the memory alarm is on or the client is over its message rate the read loop waits there, so nothing more
/// is read from this client (the heart-beat watchdog ignores that silence: it is ours).
/// </summary>
public sealed partial class StompSession
{
    private readonly HashSet<string> _tempQueues = new(StringComparer.Ordinal);

    /// <summary>True while the read loop holds a SEND at the publish gate (read by the heart-beat watchdog).</summary>
    private volatile bool _holdingSend;

    private async ValueTask SendAsync(StompFrame frame, CancellationToken cancellationToken)
    {
        AssertConnected();
        if (!_publishGate.TryPass())
        {
            _holdingSend = true;
            try
            {
                await _publishGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The clock restarts before the flag drops, so the watchdog never sees the hold as client silence.
                Interlocked.Exchange(ref _lastReadTimestamp, _time.GetTimestamp());
                _holdingSend = false;
            }
        }

        var receipt = frame.Get(StompHeaderNames.Receipt);
        var destination = ParseDestination(frame, receipt);
        string topic;
        switch (destination.Kind)
        {
            case StompDestinationKind.Topic:
                // [DESIGN "Topic"] a filter names many topics; a message goes to exactly one.
                if (destination.Name.AsSpan().IndexOfAny('+', '#') >= 0)
                {
                    throw new StompSessionException("cannot SEND to a wildcard destination", StompCloseReason.Refused, receipt, "Topic wildcards (+, #) are allowed in SUBSCRIBE only.");
                }

                topic = destination.Name;
                break;
            case StompDestinationKind.Queue:
            case StompDestinationKind.TempQueue:
                topic = destination.Name;
                break;
            case StompDestinationKind.Exchange:
                topic = destination.Pattern ?? string.Empty;
                break;
            default:
                RequireStream(destination.Name, receipt); // unknown stream: ERROR now, even inside a transaction
                topic = destination.Name;
                break;
        }

        if (destination.Kind == StompDestinationKind.Queue)
        {
            DeclareQueueFromHeaders(frame, destination.Name, receipt);
        }

        var persistent = StompMessageMapper.IsTrue(frame.Get(StompMessageMapper.PersistentHeader))
            || destination.Kind is StompDestinationKind.Queue or StompDestinationKind.TempQueue or StompDestinationKind.Stream;
        var replyTo = ResolveReplyTo(frame.Get(StompMessageMapper.ReplyToHeader));
        var message = StompMessageMapper.ToMessage(frame, topic, frame.GetOwnedBody(), persistent, replyTo, _origin, NowMs());

        if (frame.Get(StompHeaderNames.Transaction) is { } transaction)
        {
            GetTransaction(transaction, receipt).Add(ct => PublishOrThrowAsync(destination, message, null, ct));
            SendReceipt(receipt);
            return;
        }

        await PipelineSendAsync(PublishOrThrowAsync(destination, message, receipt, cancellationToken), receipt).ConfigureAwait(false);
    }

    private async ValueTask PublishOrThrowAsync(StompDestination destination, Message message, string? receipt, CancellationToken cancellationToken)
    {
        if (destination.Kind == StompDestinationKind.Stream)
        {
            await AppendToStreamAsync(destination.Name, message, receipt, cancellationToken).ConfigureAwait(false);
            return;
        }

        var broker = _broker!;
        var result = destination.Kind switch
        {
            StompDestinationKind.Topic => await broker.PublishAsync(message, _identity, cancellationToken).ConfigureAwait(false),
            StompDestinationKind.Queue => await broker.PublishToQueueAsync(destination.Name, message, _identity, cancellationToken).ConfigureAwait(false),
            StompDestinationKind.TempQueue => await broker.PublishToQueueAsync(EnsureTempQueue(destination.Name), message, _identity, cancellationToken).ConfigureAwait(false),
            _ => await broker.PublishToExchangeAsync(destination.Name, message, _identity, cancellationToken).ConfigureAwait(false),
        };

        if (!result.IsAcknowledged)
        {
            var text = result.Outcome switch
            {
                PublishOutcome.NotAuthorized => "not authorized",
                PublishOutcome.InvalidTopic => "invalid destination",
                PublishOutcome.Rejected => "message rejected",
                _ => "message not stored",
            };
            throw new StompSessionException(text, StompCloseReason.Refused, receipt, result.Reason);
        }
    }

    /// <summary>Declares the queue with the options of its x- headers, if the frame has any (README "Queues").</summary>
    private void DeclareQueueFromHeaders(StompFrame frame, string queue, string? receipt)
    {
        try
        {
            if (StompQueueArguments.Parse(frame) is { } options)
            {
                _broker!.Topology.DeclareQueue(queue, options);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException)
        {
            throw new StompSessionException("invalid queue arguments", StompCloseReason.Refused, receipt, ex.Message);
        }
    }

    private static StompDestination ParseDestination(StompFrame frame, string? receipt) =>
        StompDestination.Parse(frame.Get(StompHeaderNames.Destination), out var error)
        ?? throw new StompSessionException("invalid destination", StompCloseReason.Refused, receipt, error);

    /// <summary>
    /// A reply-to naming one of this connection's temp queues becomes the real queue, so the service that answers can
    /// SEND to it (request/reply); the queue is declared now so no reply is lost before the client subscribes.
    /// </summary>
    private string? ResolveReplyTo(string? replyTo)
    {
        if (replyTo is null || !replyTo.StartsWith(StompDestination.TempQueuePrefix, StringComparison.Ordinal))
        {
            return replyTo;
        }

        var name = replyTo[StompDestination.TempQueuePrefix.Length..];
        return QueueNames.IsValid(name) ? StompDestination.QueuePrefix + EnsureTempQueue(name) : replyTo;
    }

    /// <summary>The real, connection-private queue behind <c>/temp-queue/&lt;name&gt;</c>; declared auto-delete on first use.</summary>
    private string EnsureTempQueue(string name)
    {
        var queue = TempQueueName(name);
        if (_tempQueues.Add(queue))
        {
            try
            {
                _broker!.Topology.DeclareQueue(queue, new QueueOptions { AutoDelete = true, DeliveryLimit = null, DeadLetterQueue = string.Empty });
            }
            catch (ArgumentException ex)
            {
                _tempQueues.Remove(queue);
                throw new StompSessionException("invalid destination", StompCloseReason.Refused, null, ex.Message);
            }
        }

        return queue;
    }

    private string TempQueueName(string name)
    {
        var id = SafeConnectionId();
        var full = "tmp." + id + "." + name;
        return full.Length <= QueueNames.MaxLength ? full : full[..QueueNames.MaxLength];
    }

    private string SafeConnectionId()
    {
        var id = _info.ConnectionId;
        return string.Create(Math.Min(id.Length, 64), id, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
            }
        });
    }

    private void DeleteTempQueues()
    {
        if (_broker is null)
        {
            return;
        }

        foreach (var queue in _tempQueues)
        {
            _broker.Topology.DeleteQueue(queue);
        }

        _tempQueues.Clear();
    }
}

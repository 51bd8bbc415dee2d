namespace EdgeBroker.Stomp.Server;

using System.Globalization;
using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;
using EdgeBroker.Stomp.Codec;

/// <summary>
/// SUBSCRIBE / UNSUBSCRIBE and live delivery (<see cref="ISubscriber.TryDeliver"/>).
/// <code>
///  /topic/f          IBroker.Subscribe(f), retained last values first (retained:true)
///  /queue/q          IBroker.Consume(q) with prefetch-count
///  /temp-queue/t     Consume(tmp.&lt;connection&gt;.t), auto-delete, deleted with the connection
///  /exchange/x/p     private auto-delete queue sub.&lt;connection&gt;.&lt;n&gt; bound to x with pattern p (headers
///                    exchange: the SUBSCRIBE's other headers, x-match included, are the binding arguments)
/// </code>
/// </summary>
public sealed partial class StompSession
{
    private const string PrefetchHeader = "prefetch-count";
    private int _privateQueues;

    /// <summary>Publisher thread: one MESSAGE per matched subscription id, never blocking (bounded queue, drop + count).</summary>
    public bool TryDeliver(Message message, ReadOnlySpan<ISubscription> matched, bool isRetained)
    {
        var all = true;
        foreach (var subscription in matched)
        {
            if (subscription.Options.Tag is StompSubscription stomp && !_outbound.TryEnqueueLive(message, stomp, isRetained))
            {
                all = false;
            }
        }

        return all;
    }

    private void Subscribe(StompFrame frame)
    {
        AssertConnected();
        var receipt = frame.Get(StompHeaderNames.Receipt);
        var destinationHeader = frame.Get(StompHeaderNames.Destination);
        var destination = ParseDestination(frame, receipt);

        // [STOMP 1.1+ SUBSCRIBE] id is required; 1.0 clients may omit it, then the destination identifies it.
        var id = frame.Get(StompHeaderNames.Id) ?? (_version == StompVersion.V10 ? destinationHeader! : throw new StompSessionException("missing id header", StompCloseReason.ProtocolError, receipt));
        if (_subscriptions.ContainsKey(id))
        {
            throw new StompSessionException("duplicate subscription id", StompCloseReason.ProtocolError, receipt);
        }

        if (_subscriptions.Count >= _options.MaxSubscriptions)
        {
            throw new StompSessionException("too many subscriptions", StompCloseReason.Refused, receipt);
        }

        var ackMode = frame.Get(StompHeaderNames.Ack) switch
        {
            null or "auto" => StompAckMode.Auto,
            "client" => StompAckMode.Client,
            "client-individual" => StompAckMode.ClientIndividual,
            _ => throw new StompSessionException("invalid ack header", StompCloseReason.ProtocolError, receipt, "Use ack:auto, ack:client or ack:client-individual."),
        };

        var prefetch = _options.DefaultPrefetch;
        if (frame.Get(PrefetchHeader) is { } prefetchText)
        {
            if (!int.TryParse(prefetchText, NumberStyles.None, CultureInfo.InvariantCulture, out prefetch))
            {
                throw new StompSessionException("invalid prefetch-count header", StompCloseReason.ProtocolError, receipt);
            }

            prefetch = prefetch == 0 ? _options.MaxPrefetch : Math.Min(prefetch, _options.MaxPrefetch);
        }

        var subscription = new StompSubscription(id, destination, destinationHeader!, ackMode, _outbound);
        try
        {
            switch (destination.Kind)
            {
                case StompDestinationKind.Topic:
                    _subscriptions.Add(id, subscription);
                    subscription.Live = _broker!.Subscribe(this, destination.Name, new SubscriptionOptions { Tag = subscription }, sendRetained: true);
                    break;
                case StompDestinationKind.Queue:
                    DeclareQueueFromHeaders(frame, destination.Name, receipt);
                    _subscriptions.Add(id, subscription);
                    AttachConsumer(subscription, destination.Name, prefetch);
                    break;
                case StompDestinationKind.TempQueue:
                    _subscriptions.Add(id, subscription);
                    AttachConsumer(subscription, EnsureTempQueue(destination.Name), prefetch);
                    break;
                case StompDestinationKind.Exchange:
                    _subscriptions.Add(id, subscription);
                    BindPrivateQueue(subscription, frame);
                    AttachConsumer(subscription, subscription.PrivateQueue!, prefetch);
                    break;
                default:
                    _subscriptions.Add(id, subscription);
                    SubscribeStream(frame, subscription, prefetch, receipt);
                    break;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or UnauthorizedAccessException or InvalidOperationException)
        {
            _subscriptions.Remove(id);
            CloseSubscription(subscription);
            throw ex is UnauthorizedAccessException
                ? new StompSessionException("not authorized", StompCloseReason.Refused, receipt)
                : new StompSessionException("invalid destination", StompCloseReason.Refused, receipt, ex.Message);
        }

        SendReceipt(receipt);
    }

    private void AttachConsumer(StompSubscription subscription, string queue, int prefetch)
    {
        // ack:auto also goes through prefetch: the writer acknowledges after each flush, so a slow reader
        // holds at most `prefetch` messages in memory and the rest stays in the queue.
        subscription.Consumer = _broker!.Consume(queue, subscription, new ConsumerOptions { Prefetch = prefetch, AutoAck = false }, _identity);
        if (subscription.AckMode == StompAckMode.Auto)
        {
            _outbound.EnqueueFlush(); // deliveries written before Consume returned get their ack now
        }
    }

    private void BindPrivateQueue(StompSubscription subscription, StompFrame frame)
    {
        var destination = subscription.Destination;
        var exchange = _broker!.Topology.Exchanges.FirstOrDefault(e => string.Equals(e.Name, destination.Name, StringComparison.Ordinal))
            ?? throw new ArgumentException($"exchange '{destination.Name}' does not exist");
        Dictionary<string, string>? arguments = null;
        if (exchange.Type == ExchangeType.Headers)
        {
            arguments = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var header in frame.Headers)
            {
                if (!StompMessageMapper.IsReserved(header.Name) && header.Name is not (PrefetchHeader or "selector"))
                {
                    arguments.TryAdd(header.Name, header.Value);
                }
            }
        }

        var pattern = destination.Pattern ?? (exchange.Type == ExchangeType.Topic ? "#" : string.Empty);
        var queue = TrimQueueName("sub." + SafeConnectionId() + "." + (++_privateQueues).ToString(CultureInfo.InvariantCulture));
        _broker.Topology.DeclareQueue(queue, new QueueOptions { AutoDelete = true, DeliveryLimit = null, DeadLetterQueue = string.Empty });
        subscription.PrivateQueue = queue;
        var binding = new BindingSpec(destination.Name, pattern, BindingTargetKind.Queue, queue, arguments);
        _broker.Topology.Bind(binding);
        subscription.PrivateBinding = binding;
    }

    private void Unsubscribe(StompFrame frame)
    {
        AssertConnected();
        var receipt = frame.Get(StompHeaderNames.Receipt);
        var id = frame.Get(StompHeaderNames.Id) ?? (_version == StompVersion.V10 ? frame.Get(StompHeaderNames.Destination) : null)
            ?? throw new StompSessionException("missing id header", StompCloseReason.ProtocolError, receipt);
        if (!_subscriptions.Remove(id, out var subscription))
        {
            throw new StompSessionException("unknown subscription", StompCloseReason.ProtocolError, receipt);
        }

        CloseSubscription(subscription);
        SendReceipt(receipt);
    }

    private void CloseSubscription(StompSubscription subscription)
    {
        subscription.Close();
        if (_broker is null)
        {
            return;
        }

        if (subscription.PrivateBinding is { } binding)
        {
            _broker.Topology.Unbind(binding);
        }

        if (subscription.PrivateQueue is { } queue)
        {
            _broker.Topology.DeleteQueue(queue);
        }
    }

    private static string TrimQueueName(string name) => name.Length <= QueueNames.MaxLength ? name : name[..QueueNames.MaxLength];
}

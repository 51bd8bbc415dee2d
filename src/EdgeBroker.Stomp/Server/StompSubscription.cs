namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Core.Queues;
using EdgeBroker.Core.Routing;

/// <summary>
/// One SUBSCRIBE of a connection: a live subscription on the default exchange (<c>/topic/</c>) or a competing
/// consumer of a queue (<c>/queue/</c>, <c>/temp-queue/</c>, and the private queue behind <c>/exchange/</c>).
/// Created and disposed on the connection's read loop; <see cref="TryDeliver"/> runs on queue dispatch threads
/// and only enqueues. <see cref="AutoAckTag"/> belongs to the writer loop.
/// </summary>
internal sealed class StompSubscription : IQueueDeliveryTarget
{
    private readonly StompOutbound _outbound;
    private volatile bool _closed;
    private IQueueConsumer? _consumer;

    internal StompSubscription(string id, StompDestination destination, string destinationHeader, StompAckMode ackMode, StompOutbound outbound)
    {
        Id = id;
        Destination = destination;
        DestinationHeader = destinationHeader;
        AckMode = ackMode;
        _outbound = outbound;
    }

    /// <summary>The client's subscription id (the <c>subscription</c> header of every MESSAGE).</summary>
    public string Id { get; }

    public StompDestination Destination { get; }

    /// <summary>The <c>destination</c> header of queue deliveries (the one the client subscribed to).</summary>
    public string DestinationHeader { get; }

    public StompAckMode AckMode { get; }

    public bool IsClosed => _closed;

    internal ISubscription? Live { get; set; }

    // Set on the read loop after Consume() returned; read by the writer loop (ack:auto).
    internal IQueueConsumer? Consumer
    {
        get => Volatile.Read(ref _consumer);
        set => Volatile.Write(ref _consumer, value);
    }

    /// <summary>The push consumer of a <c>/stream/</c> subscription (StompSession.Streams.cs).</summary>
    internal Core.Streams.StreamPushConsumer? Stream { get; set; }

    /// <summary>The private queue and binding of an <c>/exchange/</c> subscription, removed on unsubscribe.</summary>
    internal string? PrivateQueue { get; set; }

    internal BindingSpec? PrivateBinding { get; set; }

    /// <summary>Highest delivery tag written since the last flush (ack:auto), or 0. Writer loop only.</summary>
    internal long AutoAckTag { get; set; }

    /// <summary>Last topic seen and its /topic/ header, so a hot topic does not build its header per message. Writer loop only.</summary>
    internal string? LastTopic { get; set; }

    internal string? LastTopicHeader { get; set; }

    public bool TryDeliver(QueueDelivery delivery)
    {
        if (_closed)
        {
            return false; // back to the queue for another consumer
        }

        _outbound.EnqueueQueueDelivery(delivery, this);
        return true;
    }

    /// <summary>Stops deliveries (pending ones are skipped by the writer; unacked queue messages are requeued).</summary>
    internal void Close()
    {
        _closed = true;
        Live?.Dispose();
        Consumer?.Dispose();
        Stream?.Close();
    }
}

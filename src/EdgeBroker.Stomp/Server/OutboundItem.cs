namespace EdgeBroker.Stomp.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Core.Queues;
using EdgeBroker.Stomp.Codec;

/// <summary>One entry of a connection's outbound queue. A struct so queueing a delivery allocates nothing of its own.</summary>
internal readonly record struct OutboundItem(
    OutboundKind Kind,
    StompFrame? Frame = null,
    Message? Message = null,
    StompSubscription? Subscription = null,
    QueueDelivery? Delivery = null,
    bool IsRetained = false,
    EdgeBroker.Core.Streams.StreamRecord? Record = null,
    long Sequence = 0);

namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Messages;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// One entry of a connection's outbound channel: either a ready control packet, or a message to encode as
/// PUBLISH by the writer (which owns topic aliases and the client's Maximum Packet Size). QoS 1/2 items stay in
/// the in-flight table until PUBACK/PUBCOMP; queue deliveries carry what is needed to acknowledge the queue.
/// Not thread-safe: handed from the producer to the writer through the channel, then read-only except
/// <see cref="PubRecReceived"/>, which the read loop sets under the connection's outbound lock.
/// </summary>
internal sealed class OutboundItem
{
    public MqttPacket? Packet { get; init; }

    public Message? Message { get; init; }

    public MqttQos Qos { get; init; }

    public bool Retain { get; init; }

    public bool Dup { get; init; }

    public uint[]? SubscriptionIdentifiers { get; init; }

    /// <summary>Set for deliveries from a core queue (persistent session or $share group) or a $stream/ subscription.</summary>
    public IMqttDeliverySink? Sink { get; init; }

    public long DeliveryTag { get; init; }

    /// <summary>Counted against <see cref="MqttServerOptions.MaxQueuedMessages"/> until written.</summary>
    public bool IsLive { get; init; }

    /// <summary>After writing this item the writer flushes and stops (the DISCONNECT of a server-side close).</summary>
    public bool CloseAfter { get; init; }

    /// <summary>Assigned when the item enters the in-flight window (QoS 1/2).</summary>
    public ushort PacketId { get; set; }

    /// <summary>QoS 2: PUBREC arrived, PUBREL sent, waiting for PUBCOMP.</summary>
    public bool PubRecReceived { get; set; }

    public static OutboundItem Control(MqttPacket packet, bool closeAfter = false) => new() { Packet = packet, CloseAfter = closeAfter };
}

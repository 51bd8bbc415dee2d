namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Routing;
using EdgeBroker.Mqtt.Codec;

/// <summary>
/// One entry of a connection's ordered acknowledgement pipeline ([MQTT-4.6.0-2]: PUBACK/PUBREC in the order the
/// PUBLISH packets arrived): the pending broker publish for a QoS 1/2 PUBLISH, a QoS 2 duplicate to answer
/// without routing, or a PUBREL to answer with PUBCOMP. Immutable; the pending task is awaited exactly once.
/// </summary>
internal readonly record struct InboundAck(InboundAckKind Kind, ushort PacketId, MqttQos Qos, ValueTask<PublishResult> Publish, string Topic);

/// <summary>What an <see cref="InboundAck"/> answers.</summary>
internal enum InboundAckKind
{
    Publish = 0,
    DuplicateQos2 = 1,
    PubRel = 2,
}

namespace EdgeBroker.Mqtt.Server;

using EdgeBroker.Core.Streams;

/// <summary>
/// One <c>$stream/</c> subscription of a connection: a <see cref="StreamPushConsumer"/> whose records go into the
/// connection's outbound path and whose deliveries settle when the connection finishes them (PUBACK at QoS 1 commits
/// the offset for a group: at-least-once; QoS 0 settles once written and the group committed before delivery:
/// at-most-once). Thread-safe.
/// </summary>
internal sealed class MqttStreamSubscription : IMqttDeliverySink, IDisposable
{
    public MqttStreamSubscription(MqttStreamFilter filter, string subscriptionFilter, Codec.MqttQos qos, uint subscriptionIdentifier)
    {
        Filter = filter;
        SubscriptionFilter = subscriptionFilter;
        Qos = qos;
        SubscriptionIdentifier = subscriptionIdentifier;
    }

    public MqttStreamFilter Filter { get; }

    /// <summary>The filter as the client wrote it (the UNSUBSCRIBE key).</summary>
    public string SubscriptionFilter { get; }

    /// <summary>Granted QoS: 0 or 1 (a QoS 2 request is granted 1: the PUBACK is the commit).</summary>
    public Codec.MqttQos Qos { get; }

    public uint SubscriptionIdentifier { get; }

    public StreamPushConsumer? Consumer { get; set; }

    public void Ack(long deliveryTag) => Consumer?.Settle(deliveryTag);

    public void Dispose() => Consumer?.Close();
}
